# SPDX-License-Identifier: BSD-2-Clause
#
# tools/mkman.awk - a program's --help text to its manual page.
#
# Each program's --help is the one source of its manual: `make` pipes it
# through this script, so the two cannot drift apart. The text is laid out
# as a manual already: a line that starts in column 0 in capitals heads a
# section (NAME, SYNOPSIS, ...), the body is indented four spaces. NAME's
# body is one "prog - what it does" line; every other body keeps its lines
# as they are (no-fill), with option names in bold where a line starts with
# one.
#
#   prog --help | awk -v prog=zcdump -v section=1 -v version=0.1.0 \
#           -v title="User Commands" -f tools/mkman.awk > zcdump.1

# Escapes a line for roff: backslashes first, then minus signs (so they
# render as ASCII hyphens, which copy and paste as typed).
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}

# A body line without its first four columns of indentation.
function body(s) {
	sub(/^    /, "", s)
	return s
}

# Bold option names at the start of a line: "-r FILE  text" and
# "-l, --listen ADDR" get their "-r" and "-l," "--listen" in bold.
function bold_opts(s,    head, rest, out, n, i, w) {
	if (s !~ /^ *-/)
		return esc(s)
	match(s, /^ */)
	out = substr(s, 1, RLENGTH)
	s = substr(s, RLENGTH + 1)
	# The option part ends at the first run of two spaces.
	if (match(s, /  /)) {
		head = substr(s, 1, RSTART - 1)
		rest = substr(s, RSTART)
	} else {
		head = s
		rest = ""
	}
	n = split(head, w, " ")
	for (i = 1; i <= n; i++) {
		if (i > 1)
			out = out " "
		if (w[i] ~ /^-/)
			out = out "\\fB" esc(w[i]) "\\fR"
		else
			out = out esc(w[i])
	}
	return out esc(rest)
}

function close_section() {
	if (in_nf)
		print ".fi"
	in_nf = 0
}

BEGIN {
	if (prog == "" || section == "") {
		print "mkman.awk: set prog and section" > "/dev/stderr"
		exit 2
	}
	printf ".\\\" Made from `%s --help` by tools/mkman.awk: edit the program, not this file.\n", prog
	printf ".TH %s %s \"\" \"libzc %s\" \"%s\"\n", toupper(prog), section, version, title
	sect = ""
	in_nf = 0
	blank = 0
}

/^[A-Z][A-Z .]*$/ {
	close_section()
	sect = $0
	printf ".SH %s\n", sect
	blank = 0
	next
}

sect == "" {
	next
}

/^[ \t]*$/ {
	blank = 1
	next
}

sect == "NAME" {
	line = body($0)
	sub(/ - /, " \\- ", line)
	print line
	next
}

{
	if (!in_nf) {
		print ".nf"
		in_nf = 1
	} else if (blank) {
		print ""
	}
	blank = 0
	line = body($0)
	# A line that begins with a dot or a quote would be read as a request.
	line = (sect ~ /OPTIONS/) ? bold_opts(line) : esc(line)
	if (line ~ /^[.']/)
		line = "\\&" line
	print line
}

END {
	close_section()
}
