/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipproto.h - the IP protocol numbers (IANA "Assigned Internet Protocol
 * Numbers"), which IPv4's protocol field and IPv6's next-header field share.
 */
#ifndef ZC_IPPROTO_H
#define ZC_IPPROTO_H

#define ZC_IPPROTO_HOPOPTS 0
#define ZC_IPPROTO_ICMP 1
#define ZC_IPPROTO_IGMP 2
#define ZC_IPPROTO_IPIP 4
#define ZC_IPPROTO_TCP 6
#define ZC_IPPROTO_UDP 17
#define ZC_IPPROTO_IPV6 41
#define ZC_IPPROTO_ROUTING 43
#define ZC_IPPROTO_FRAGMENT 44
#define ZC_IPPROTO_GRE 47
#define ZC_IPPROTO_ESP 50
#define ZC_IPPROTO_AH 51
#define ZC_IPPROTO_ICMPV6 58
#define ZC_IPPROTO_NONE 59
#define ZC_IPPROTO_DSTOPTS 60
#define ZC_IPPROTO_ETHERNET 143 /* Ethernet, as SRv6 carries it (RFC 8986) */

#endif /* ZC_IPPROTO_H */
