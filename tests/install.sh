#!/bin/sh
# `cmake --install` into a temporary prefix and use the installed pgtviz from
# another directory: it must find its themes and gallery under
# PREFIX/share/pgtviz (not in the source tree it was built from), and
# PGTVIZ_DATA_DIR must override that.
# Usage: install.sh BUILD_DIR CMAKE
set -u
BUILD=$1
CMAKE=$2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset PGTVIZ_DATA_DIR PGTVIZ_ASSET_DIR PGTVIZ_WEB_DIR PGTVIZ_WEB_BUILD_DIR
export PGTVIZ_NO_PREFS=1 SDL_VIDEODRIVER=dummy

"$CMAKE" --install "$BUILD" --prefix "$DIR/usr" >"$DIR/install.log" 2>&1 ||
	{ cat "$DIR/install.log"; fail "cmake --install failed"; }
BIN=$DIR/usr/bin/pgtviz
SHARE=$DIR/usr/share/pgtviz
[ -x "$BIN" ] || fail "no $BIN"
for f in assets/themes/dark.theme assets/themes/light.theme assets/themes/cb.theme \
	scenarios/kdump-512m-under-768m.json web/pgtviz.js web/lesson.html; do
	[ -s "$SHARE/$f" ] || fail "not installed: share/pgtviz/$f"
done
mkdir "$DIR/elsewhere"
cd "$DIR/elsewhere" || fail "cd"

# A gallery scenario by name and a built-in theme, from the installed files.
"$BIN" export kdump-512m-under-768m --theme dark --size 640x360 -o k.png 2>"$DIR/err" ||
	{ cat "$DIR/err"; fail "the installed binary cannot export"; }
[ "$(head -c 8 k.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "k.png is not a PNG"
"$BIN" list >"$DIR/list" 2>&1 || fail "list failed"
grep -q "kdump-512m-under-768m" "$DIR/list" || fail "list shows no gallery from share/pgtviz"

# It reads share/pgtviz, not the source tree: without the installed theme
# the message names the installed path.
mv "$SHARE/assets/themes/dark.theme" "$DIR/dark.theme"
if "$BIN" export pc-4g --theme dark -o d.png 2>"$DIR/err"; then
	fail "export worked without the installed dark theme"
fi
grep -q "cannot read theme '$SHARE/assets/themes/dark.theme'" "$DIR/err" ||
	{ cat "$DIR/err"; fail "the message does not name the installed theme"; }
mv "$DIR/dark.theme" "$SHARE/assets/themes/dark.theme"

# PGTVIZ_DATA_DIR wins: a copy of share/pgtviz somewhere else ...
cp -r "$SHARE" "$DIR/data"
PGTVIZ_DATA_DIR=$DIR/data "$BIN" export pc-4g --theme light -o l.png 2>"$DIR/err" ||
	{ cat "$DIR/err"; fail "PGTVIZ_DATA_DIR with the data does not work"; }
[ -s l.png ] || fail "no l.png"
# ... and a wrong one is named in the message.
if PGTVIZ_DATA_DIR=$DIR/nowhere "$BIN" export pc-4g --theme light -o n.png 2>"$DIR/err"; then
	fail "export worked with PGTVIZ_DATA_DIR pointing nowhere"
fi
grep -q "cannot read theme '$DIR/nowhere/assets/themes/light.theme'" "$DIR/err" ||
	{ cat "$DIR/err"; fail "the message does not name PGTVIZ_DATA_DIR"; }

# The HTML lesson, when this build has the browser part.
if [ -s "$SHARE/web/pgtviz-web.js" ]; then
	"$BIN" export pc-4g -o lesson.html 2>"$DIR/err" ||
		{ cat "$DIR/err"; fail "the installed binary cannot write an HTML lesson"; }
	grep -q "pgtviz" lesson.html || fail "lesson.html is empty"
	HTML="and an HTML lesson"
fi
echo "ok: installed into $DIR/usr; exported a gallery scenario from another directory${HTML:+ $HTML};" \
	"PGTVIZ_DATA_DIR overrides"
