#!/bin/sh
# The title over the panes of an exported slide:
#
#   sh export_title.sh PGTVIZ
#
# The Xen fix side by side (--schemes old@2.6.39-rc1:xen-end,old@3.0:xen-top)
# is titled with what the panes compare, not with the scenario's one version;
# the scenario's own panes keep its title; --title TEXT is the title as given
# (UTF-8, XML-escaped in an SVG), --title '' draws none; a title that is not
# one line of UTF-8 text, or longer than 200 bytes, or given for an .html page,
# is refused with one message, exit 2 and nothing written (window too).
set -u
PGTVIZ=$1
export PGTVIZ_NO_PREFS=1
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-title.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail() {
	echo "export_title: FAIL: $*"
	exit 1
}
# The texts of an SVG, one a line.
texts() {
	grep -o '<text[^>]*>[^<]*</text>' "$1" | sed 's/<[^>]*>//g'
}
FIX="--schemes old@2.6.39-rc1:xen-end,old@3.0:xen-top --steps violation --size 1280x720"
OWN="Xen PV guest, 2.6.39-rc1: the page tables high, in memory not yet mapped"
CMP="Xen PV guest: 2.6.39-rc1 (RO to pgt_buf_end) against 3.0 (RO to pgt_buf_top + hook)"

# shellcheck disable=SC2086
"$PGTVIZ" export xen-live-patient $FIX -o "$T/fix.svg" || fail "export the fix slide"
texts "$T/fix.svg" | grep -qxF "$CMP" || fail "the fix slide's title is not \"$CMP\": $(texts "$T/fix.svg" | head -n 2 | tr '\n' '|')"
! texts "$T/fix.svg" | grep -qF "$OWN" || fail "the fix slide claims the scenario's one version"
"$PGTVIZ" export xen-live-patient --steps violation --size 1280x720 -o "$T/own.svg" ||
	fail "export the scenario's own panes"
texts "$T/own.svg" | grep -qxF "$OWN" || fail "the scenario's own panes lost its title"

# --title as given (and as --title=TEXT), XML-escaped in the SVG
# shellcheck disable=SC2086
"$PGTVIZ" export xen-live-patient $FIX --title 'Die Lösung: RO bis pgt_buf_top <& hook>' \
	-o "$T/given.svg" || fail "export --title"
texts "$T/given.svg" | grep -qxF 'Die Lösung: RO bis pgt_buf_top &lt;&amp; hook&gt;' ||
	fail "the given title is not drawn as given: $(texts "$T/given.svg" | head -n 2 | tr '\n' '|')"
! grep -qF "against 3.0" "$T/given.svg" || fail "--title and the panes' title both drawn"
# shellcheck disable=SC2086
"$PGTVIZ" export xen-live-patient $FIX --title= -o "$T/none.svg" || fail "export --title="
! grep -qF "Xen PV guest" "$T/none.svg" || fail "--title '' still draws a title"
texts "$T/none.svg" | grep -q '^step [0-9]* / [0-9]*$' || fail "--title '' lost the step counter"
# a PNG takes it too
# shellcheck disable=SC2086
"$PGTVIZ" export xen-live-patient $FIX --title 'A slide' -o "$T/given.png" || fail "export --title (png)"
[ -s "$T/given.png" ] || fail "no PNG written"

# Refused: one message, exit 2, nothing written.
refuse() { # expected first line of stderr, then the command's words
	want=$1
	shift
	"$PGTVIZ" "$@" > "$T/out" 2> "$T/err" < /dev/null
	rc=$?
	[ "$rc" = 2 ] || fail "exit $rc, not 2: pgtviz $*"
	[ "$(head -n 1 "$T/err")" = "$want" ] ||
		fail "pgtviz $*: stderr '$(head -n 1 "$T/err")', expected '$want'"
	[ ! -s "$T/out" ] || fail "pgtviz $*: wrote to stdout"
	[ ! -e "$T/bad.png" ] && [ ! -e "$T/bad.html" ] || fail "pgtviz $*: wrote a file"
}
NL='
'
ESC=$(printf '\033')
BAD=$(printf 'a\377b')
C1=$(printf 'a\302\205')
LONG=$(printf '%0201d' 0)
E="pgtviz export: error: --title"
refuse "$E has a control character (U+000A at byte 4): it is one line of text" \
	export pc-4g -o "$T/bad.png" --title "one${NL}two"
refuse "$E has a control character (U+001B at byte 1): it is one line of text" \
	export pc-4g -o "$T/bad.png" --title "${ESC}]0;x"
refuse "$E is not UTF-8 text (byte 2 is 0xff)" export pc-4g -o "$T/bad.png" --title "$BAD"
refuse "$E has a control character (U+0085 at byte 2): it is one line of text" \
	export pc-4g -o "$T/bad.png" --title "$C1"
refuse "$E is 201 bytes long: at most 200" export pc-4g -o "$T/bad.png" --title "$LONG"
refuse "$E needs a value" export pc-4g -o "$T/bad.png" --title
# An .html page takes it too: written into the page's data, escaped for a
# script block (the browser test draws it: web_browser 'titled').
"$PGTVIZ" export pc-4g -o "$T/t.html" --title 'A <slide> & "x"' > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -ne 0 ] && grep -q "browser build" "$T/err"; then
	echo "note: no browser build: the .html --title case is not run"
else
	[ $rc -eq 0 ] || fail "export -o t.html --title: exit $rc: $(cat "$T/err")"
	grep -qF '"title":"A \u003cslide\u003e \u0026 \"x\""' "$T/t.html" ||
		fail "the page's data has no --title (escaped)"
	"$PGTVIZ" export pc-4g -o "$T/u.html" > /dev/null 2>&1 &&
		grep -qF '"title":null' "$T/u.html" || fail "a page without --title has title null"
fi
TAB=$(printf 'a\tb')
env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$PGTVIZ" window pc-4g --title "$TAB" \
	> "$T/out" 2> "$T/err"
rc=$?
[ "$rc" = 2 ] || fail "window --title with a tab: exit $rc"
[ "$(head -n 1 "$T/err")" = "pgtviz window: error: --title has a control character (U+0009 at byte 2): it is one line of text" ] ||
	fail "window --title with a tab: '$(head -n 1 "$T/err")'"
echo "export_title: ok"
