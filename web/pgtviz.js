/*
 * pgtviz in the browser: the canvas backend and the page's glue.
 *
 * The C side (src/web/web_main.c, compiled to wasm) loads the scenario,
 * runs the simulations and builds the frame's draw list exactly as the
 * window does.  This file only
 *   - paints that list on a <canvas> (paint() below), command by command,
 *     with the same integer geometry as src/ui/raster.c (rects, hatching
 *     anchored to the canvas, frames, lines, clipping, anchored text),
 *   - measures text for the view with the page's fonts (the DejaVu faces
 *     inlined by `pgtviz export`),
 *   - forwards keys, pointer and wheel to the C input layer, drives
 *     playback from requestAnimationFrame, keeps `#step=N` in the URL,
 *   - loads dropped / picked files (scenario JSON or dmesg) through the
 *     same C importer and shows its file:line:col errors.
 * Nothing here touches the network: every byte comes from the page.
 */
(function () {
	'use strict';
	const data = JSON.parse(document.getElementById('pgtviz-data').textContent);
	const canvas = document.getElementById('pgtviz-canvas');
	const ctx = canvas.getContext('2d', { alpha: false });
	/* Text is measured on a context of its own, so no painting state (the
	 * letter spacing of the last text drawn) leaks into a measurement. */
	const mctx = document.createElement('canvas').getContext('2d');
	const FAMILY = ['pgtviz-sans', 'pgtviz-mono', 'pgtviz-bold']; /* enum pgt_font */
	/* Key names and enum values come from the C side (src/web/web_keys.c
	 * through pgw_constants()), set in start(): DOM = KeyboardEvent.key ->
	 * enum pgt_key, KEY / IN / REQ = enum pgt_key / pgt_input_type /
	 * pgt_request_kind by name. */
	let DOM = {}, KEY = {}, IN = {}, REQ = {};
	const params = new URLSearchParams(location.hash.slice(1));
	const plain = params.has('plain'); /* exactly `pgtviz export`'s frame, no toolbar */
	let fixed = null; /* canvas size forced with #size=WxH */
	if (params.has('size')) {
		const m = /^(\d+)x(\d+)$/.exec(params.get('size'));
		if (m) fixed = [+m[1], +m[2]];
	}
	let M = null;       /* the wasm module */
	let dirty = true;   /* frame must be rebuilt */
	let lastT = 0;      /* previous animation frame time */
	let themeIndex = 0; /* index into data.themes */
	let hashTimer = 0;
	const api = { ready: false, firstFrameMs: -1, frames: 0, errors: '', buildMs: 0, paintMs: 0, cmds: 0 };
	window.pgtviz = api;
	if (plain) document.body.classList.add('plain');

	/* ---- strings across the boundary ---------------------------------- */
	function withStrings(list, fn) {
		const ptrs = list.map((s) => {
			const n = M.lengthBytesUTF8(s) + 1;
			const p = M._malloc(n);
			M.stringToUTF8(s, p, n);
			return [p, n - 1];
		});
		try {
			return fn(ptrs);
		} finally {
			ptrs.forEach((p) => M._free(p[0]));
		}
	}

	/* ---- fonts and text measurement ------------------------------------- */
	const metrics = new Map(); /* "font|px" -> {asc, h} */
	const widths = new Map();  /* "font|px|text" -> width */
	const fontStrings = new Map(); /* font * 4096 + px -> CSS font string */
	function fontCss(f, px) {
		const k = f * 4096 + px;
		let s = fontStrings.get(k);
		if (s === undefined) {
			s = px + 'px ' + (FAMILY[f] || FAMILY[0]);
			fontStrings.set(k, s);
		}
		return s;
	}
	function fontMetrics(f, px) {
		const k = f + '|' + px;
		let m = metrics.get(k);
		if (!m) {
			mctx.font = fontCss(f, px);
			const t = mctx.measureText('Hg');
			const asc = Math.ceil(t.fontBoundingBoxAscent);
			const desc = Math.ceil(t.fontBoundingBoxDescent);
			m = { asc: asc, h: asc + desc };
			metrics.set(k, m);
		}
		return m;
	}
	/* Width in whole pixels: the glyphs' advances each rounded, which is what
	 * SDL_ttf reports to the window's view at most sizes (at the smallest,
	 * hinting changes some advances: docs/web.md, "Fidelity"). */
	const glyphs = new Map(); /* "font|px|char" -> rounded advance */
	function measure(f, px, s) {
		const k = f + '|' + px + '|' + s;
		let w = widths.get(k);
		if (w === undefined) {
			w = 0;
			let set = false;
			for (const ch of s) {
				const gk = f + '|' + px + '|' + ch;
				let g = glyphs.get(gk);
				if (g === undefined) {
					if (!set) mctx.font = fontCss(f, px);
					set = true;
					g = Math.round(mctx.measureText(ch).width);
					glyphs.set(gk, g);
				}
				w += g;
			}
			if (widths.size > 20000) widths.clear();
			widths.set(k, w);
		}
		return w;
	}

	/* ---- the canvas backend ---------------------------------------------- */
	const colors = new Map();
	function css(c) {
		let s = colors.get(c);
		if (!s) {
			const a = (c >>> 24) & 255, r = (c >>> 16) & 255, g = (c >>> 8) & 255, b = c & 255;
			s = a === 255 ? 'rgb(' + r + ',' + g + ',' + b + ')'
			              : 'rgba(' + r + ',' + g + ',' + b + ',' + (a / 255) + ')';
			colors.set(c, s);
		}
		return s;
	}
	const hatches = new Map(); /* "period|width|color" -> CanvasPattern */
	function hatchPattern(period, sw, c) {
		const k = period + '|' + sw + '|' + c;
		let p = hatches.get(k);
		if (!p) {
			const t = document.createElement('canvas');
			t.width = t.height = period;
			const tc = t.getContext('2d');
			const img = tc.createImageData(period, period);
			for (let j = 0; j < period; j++)
				for (let i = 0; i < period; i++)
					if ((i + j) % period < sw) {
						const o = (j * period + i) * 4;
						img.data[o] = (c >>> 16) & 255;
						img.data[o + 1] = (c >>> 8) & 255;
						img.data[o + 2] = c & 255;
						img.data[o + 3] = (c >>> 24) & 255;
					}
			tc.putImageData(img, 0, 0);
			p = ctx.createPattern(t, 'repeat');
			hatches.set(k, p);
		}
		return p;
	}
	let clipR = null; /* current clip rect [x0, y0, x1, y1] (null: the canvas) */
	/* Opaque fills go to the canvas; translucent ones are blended here with
	 * raster.c's integer formula, so they match the export to the bit. */
	function fill(x, y, w, h, c) {
		if (w <= 0 || h <= 0 || (c >>> 24) === 0) return;
		if ((c >>> 24) === 255) {
			setFill(c);
			ctx.fillRect(x, y, w, h);
		} else {
			blendRect(x, y, w, h, c, 0, 0);
		}
	}
	/* Blends c into [x, x+w) x [y, y+h) within the clip; period > 0: only the
	 * hatch stripes ((i + j) % period < sw), as raster.c's hatch_rect. */
	function blendRect(x, y, w, h, c, period, sw) {
		let x0 = Math.max(x, 0), y0 = Math.max(y, 0);
		let x1 = Math.min(x + w, canvas.width), y1 = Math.min(y + h, canvas.height);
		if (clipR) {
			x0 = Math.max(x0, clipR[0]); y0 = Math.max(y0, clipR[1]);
			x1 = Math.min(x1, clipR[2]); y1 = Math.min(y1, clipR[3]);
		}
		if (x1 <= x0 || y1 <= y0) return;
		const img = ctx.getImageData(x0, y0, x1 - x0, y1 - y0), d = img.data;
		const a = (c >>> 24) & 255, ia = 255 - a;
		const r = ((c >>> 16) & 255) * a, g = ((c >>> 8) & 255) * a, b = (c & 255) * a;
		for (let j = y0; j < y1; j++)
			for (let i = x0; i < x1; i++) {
				if (period && (i + j) % period >= sw) continue;
				const o = ((j - y0) * (x1 - x0) + (i - x0)) * 4;
				d[o] = ((r + d[o] * ia + 127) / 255) | 0;
				d[o + 1] = ((g + d[o + 1] * ia + 127) / 255) | 0;
				d[o + 2] = ((b + d[o + 2] * ia + 127) / 255) | 0;
			}
		ctx.putImageData(img, x0, y0);
	}
	function line(x, y, dx, dy, lw, c) {
		if (dx === 0 || dy === 0) { /* axis-aligned: a rect centred on the line */
			const x0 = dx < 0 ? x + dx : x, y0 = dy < 0 ? y + dy : y;
			if (dx === 0) fill(x0 - (lw >> 1), y0, lw, Math.abs(dy) + 1, c);
			else fill(x0, y0 - (lw >> 1), Math.abs(dx) + 1, lw, c);
			return;
		}
		/* Bresenham with a square brush, as raster.c. */
		let x0 = x, y0 = y;
		const x1 = x + dx, y1 = y + dy;
		const ax = Math.abs(dx), ay = -Math.abs(dy), sx = dx > 0 ? 1 : -1, sy = dy > 0 ? 1 : -1;
		let err = ax + ay;
		for (;;) {
			fill(x0 - (lw >> 1), y0 - (lw >> 1), lw, lw, c);
			if (x0 === x1 && y0 === y1) break;
			const e2 = 2 * err;
			if (e2 >= ay) { err += ay; x0 += sx; }
			if (e2 <= ax) { err += ax; y0 += sy; }
		}
	}
	/* Painting state set on ctx (-1 / '': unknown, e.g. after a restore),
	 * so a run of commands in one colour or font sets it once. */
	let curFill = -1, curFont = '', curSpacing = '';
	function setFill(c) {
		if (c !== curFill) {
			ctx.fillStyle = css(c);
			curFill = c;
		}
	}
	function forgetState() {
		curFill = -1;
		curFont = curSpacing = '';
	}
	const texts = new Map(); /* font * 4096 + px -> Map(text -> {w, spacing}) */
	let ntexts = 0;
	function text(s, f, px, anchor, x, y, c) {
		if (!s) return;
		const m = fontMetrics(f, px);
		const font = fontCss(f, px);
		let face = texts.get(f * 4096 + px);
		if (face === undefined) {
			face = new Map();
			texts.set(f * 4096 + px, face);
		}
		let t = face.get(s);
		if (t === undefined) {
			const w = measure(f, px, s);
			/* Spread the rounding of the advances over the glyphs, so the
			 * text covers the width the layout was given (as SDL_ttf's
			 * does); measured without spacing on the measuring context. */
			mctx.font = font;
			const n = [...s].length;
			const sp = n > 1 ? (w - mctx.measureText(s).width) / n : 0;
			t = { w, spacing: sp.toFixed(3) + 'px' };
			if (++ntexts > 20000) {
				texts.clear();
				ntexts = 0;
			}
			face.set(s, t);
		}
		const w = t.w;
		if ((anchor & 3) === 1) x -= w >> 1;
		else if ((anchor & 3) === 2) x -= w;
		if (anchor & 4) y -= m.h >> 1;
		else if (anchor & 8) y -= m.h;
		if (font !== curFont) {
			ctx.font = font;
			curFont = font;
		}
		if (t.spacing !== curSpacing) {
			ctx.letterSpacing = t.spacing;
			curSpacing = t.spacing;
		}
		setFill(c);
		ctx.fillText(s, x, y + m.asc);
	}
	/* The k-th text of the frame, the NUL-terminated UTF-8 at U8[p]: the
	 * string of the last frame's k-th text when the bytes are the same (most
	 * are, from one step to the next), so painting a frame decodes and
	 * allocates only what changed, and the caches above hit by identity. */
	const frameStrings = [];
	function frameString(k, U8, p) {
		let e = p;
		while (U8[e]) e++;
		const len = e - p;
		const old = frameStrings[k];
		if (old !== undefined && old.bytes.length === len) {
			const b = old.bytes;
			let i = 0;
			while (i < len && b[i] === U8[p + i]) i++;
			if (i === len) return old.s;
		}
		const s = M.UTF8ToString(p, len);
		frameStrings[k] = { bytes: U8.slice(p, e), s };
		return s;
	}
	/* Paints the draw list of n commands left in wasm memory. */
	function paint(n) {
		const W = canvas.width, H = canvas.height;
		const base = M._pgw_cmds() >> 2, pool = M._pgw_text();
		const I = M.HEAP32, U8 = M.HEAPU8;
		ctx.save();
		forgetState();
		ctx.textBaseline = 'alphabetic';
		ctx.textAlign = 'left';
		fill(0, 0, W, H, (M._pgw_clear() | 0xff000000) >>> 0);
		let clipped = false, nt = 0;
		for (let i = 0; i < n; i++) {
			const o = base + i * 9, head = I[o];
			const kind = head & 255, font = (head >> 8) & 255, anchor = (head >> 16) & 255;
			const x = I[o + 1], y = I[o + 2], w = I[o + 3], h = I[o + 4];
			const size = I[o + 5], width = I[o + 6], c = I[o + 7] >>> 0;
			switch (kind) {
			case 0: /* RECT */
				fill(x, y, w, h, c);
				break;
			case 1: { /* HATCH */
				if (w <= 0 || h <= 0) break;
				if ((c >>> 24) !== 255) {
					blendRect(x, y, w, h, c, size > 1 ? size : 2, width > 0 ? width : 1);
					break;
				}
				ctx.fillStyle = hatchPattern(size > 1 ? size : 2, width > 0 ? width : 1, c);
				curFill = -1;
				ctx.fillRect(x, y, w, h);
				break;
			}
			case 2: { /* FRAME */
				const lw = width > 0 ? width : 1;
				fill(x, y, w, lw, c);
				fill(x, y + h - lw, w, lw, c);
				fill(x, y + lw, lw, h - 2 * lw, c);
				fill(x + w - lw, y + lw, lw, h - 2 * lw, c);
				break;
			}
			case 3: /* LINE */
				line(x, y, w, h, width > 0 ? width : 1, c);
				break;
			case 4: /* TEXT */
				text(frameString(nt++, U8, pool + I[o + 8]), font, size, anchor, x, y, c);
				break;
			case 5: /* CLIP */
				if (clipped) {
					ctx.restore();
					forgetState();
				}
				clipped = false;
				clipR = null;
				if (w > 0 && h > 0) {
					clipR = [x, y, x + w, y + h];
					ctx.save();
					ctx.beginPath();
					ctx.rect(x, y, w, h);
					ctx.clip();
					clipped = true;
				}
				break;
			}
		}
		if (clipped) ctx.restore();
		clipR = null;
		ctx.restore();
		forgetState();
	}

	/* ---- frames ------------------------------------------------------------ */
	function resize() {
		let w, h;
		if (fixed) {
			[w, h] = fixed;
		} else {
			const r = canvas.getBoundingClientRect();
			const dpr = window.devicePixelRatio || 1;
			w = Math.max(320, Math.round(r.width * dpr));
			h = Math.max(240, Math.round(r.height * dpr));
		}
		if (canvas.width !== w || canvas.height !== h) {
			canvas.width = w;
			canvas.height = h;
			dirty = true;
		}
	}
	function draw() {
		resize();
		const t0 = performance.now();
		const n = M._pgw_frame(canvas.width, canvas.height, plain ? 0 : 1);
		if (n < 0) return;
		const t1 = performance.now();
		paint(n);
		api.buildMs += t1 - t0;
		api.paintMs += performance.now() - t1;
		api.cmds = n;
		api.frames++;
		dirty = false;
		updateControls();
	}
	function loop(t) {
		const dt = lastT ? Math.min((t - lastT) / 1000, 0.25) : 0;
		lastT = t;
		const playing = M._pgw_playing();
		if (M._pgw_tick(dt)) { /* playback and the camera */
			dirty = true;
			if (playing) scheduleHash();
		}
		if (dirty) draw();
		requestAnimationFrame(loop);
	}

	/* ---- URL fragment: #step=N ---------------------------------------- */
	function scheduleHash() {
		if (plain || hashTimer) return;
		hashTimer = setTimeout(() => {
			hashTimer = 0;
			const p = new URLSearchParams(location.hash.slice(1));
			p.set('step', String(M._pgw_step()));
			try {
				history.replaceState(null, '', '#' + p.toString());
			} catch (e) { /* some file:// settings refuse; the link still works */ }
		}, 300);
	}
	function seekFromHash() {
		const p = new URLSearchParams(location.hash.slice(1));
		if (!p.has('step')) return;
		const s = Number(p.get('step'));
		if (Number.isFinite(s) && s >= 0 && s !== M._pgw_step()) {
			M._pgw_seek(Math.floor(s));
			dirty = true;
		}
	}

	/* ---- themes ------------------------------------------------------------ */
	function setTheme(i) {
		const names = Object.keys(data.themes);
		themeIndex = ((i % names.length) + names.length) % names.length;
		const name = names[themeIndex];
		withStrings([data.themes[name], name + '.theme'], ([t, n]) => M._pgw_theme(t[0], n[0], themeIndex));
		document.body.dataset.theme = name;
		withStrings(['theme: ' + name], ([s]) => M._pgw_status(s[0]));
		dirty = true;
	}

	/* ---- loading scenarios ---------------------------------------------- */
	const errBox = document.getElementById('pgtviz-errors');
	function showErrors(text) {
		api.errors = text;
		errBox.querySelector('pre').textContent = text;
		errBox.hidden = !text;
	}
	function load(text, name, schemes, kver) {
		const ok = withStrings([text, name, schemes || '', kver || ''], ([t, n, s, k]) =>
			M._pgw_load(t[0], t[1], n[0], s[0], k[0]));
		const errs = M.UTF8ToString(M._pgw_errors());
		if (!ok) {
			showErrors(errs || name + ': error: could not load');
			return false;
		}
		showErrors('');
		document.title = M.UTF8ToString(M._pgw_title()) + ' - pgtviz';
		dirty = true;
		return true;
	}
	function loadFile(file) {
		const r = new FileReader();
		r.onload = () => {
			if (load(String(r.result), file.name)) {
				withStrings(['loaded ' + file.name], ([s]) => M._pgw_status(s[0]));
				scheduleHash();
			}
		};
		r.readAsText(file);
	}
	const picker = document.getElementById('pgtviz-file');
	picker.addEventListener('change', () => {
		if (picker.files.length) loadFile(picker.files[0]);
		picker.value = '';
	});
	document.addEventListener('dragover', (e) => {
		e.preventDefault();
		document.body.classList.add('dropping');
	});
	document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
	document.addEventListener('drop', (e) => {
		e.preventDefault();
		document.body.classList.remove('dropping');
		if (e.dataTransfer.files.length) loadFile(e.dataTransfer.files[0]);
	});
	errBox.querySelector('button').addEventListener('click', () => showErrors(''));

	/* ---- input -------------------------------------------------------------- */
	function send(type, key, shift, x, y, wheel) {
		switch (M._pgw_event(type, key, shift ? 1 : 0, x | 0, y | 0, wheel | 0)) {
		case REQ.THEME: setTheme(themeIndex + 1); break;
		case REQ.SAVE: savePng(); break;
		default: break;
		}
		dirty = true;
		scheduleHash();
	}
	function keyOf(e) {
		if (Object.hasOwn(DOM, e.key)) return DOM[e.key];
		const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
		return Object.hasOwn(DOM, k) ? DOM[k] : 0;
	}
	document.addEventListener('keydown', (e) => {
		if (!api.ready || e.ctrlKey || e.metaKey || e.altKey) return;
		if (M._pgw_typing() && e.key.length === 1) { /* the go-to prompt (g) types */
			e.preventDefault();
			withStrings([e.key], ([t]) => M._pgw_type(t[0]));
			dirty = true;
			return;
		}
		const k = keyOf(e);
		if (!k) return;
		e.preventDefault();
		if (k === KEY.O) picker.click(); /* the page's own file picker */
		else send(IN.KEY, k, e.shiftKey, 0, 0, 0);
	});
	function pos(e) {
		const r = canvas.getBoundingClientRect();
		return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
	}
	canvas.addEventListener('mousemove', (e) => { const [x, y] = pos(e); send(IN.MOTION, 0, false, x, y, 0); });
	canvas.addEventListener('mousedown', (e) => {
		if (e.button !== 0) return;
		canvas.focus();
		const [x, y] = pos(e);
		send(IN.DOWN, 0, false, x, y, 0);
	});
	window.addEventListener('mouseup', (e) => { if (e.button === 0) { const [x, y] = pos(e); send(IN.UP, 0, false, x, y, 0); } });
	canvas.addEventListener('mouseleave', () => send(IN.LEAVE, 0, false, 0, 0, 0));
	canvas.addEventListener('wheel', (e) => {
		e.preventDefault();
		const [x, y] = pos(e);
		send(IN.WHEEL, 0, false, x, y, e.deltaY < 0 ? 1 : e.deltaY > 0 ? -1 : 0);
	}, { passive: false });
	window.addEventListener('hashchange', seekFromHash);
	/* A slide deck that embeds the page in an <iframe> can drive it without
	 * giving it the focus: postMessage({pgtviz: 'key', key: 'PageDown'}) or
	 * {pgtviz: 'seek', step: N}; the page answers every change with
	 * {pgtviz: 'step', step, nsteps} to its parent (docs/web.md). */
	window.addEventListener('message', (e) => {
		const m = e.data;
		if (!api.ready || !m || typeof m !== 'object') return;
		const k = m.pgtviz === 'key' ? keyOf({ key: String(m.key) }) : 0;
		if (k && k !== KEY.O) send(IN.KEY, k, !!m.shift, 0, 0, 0); /* a file dialog needs a click */
		else if (m.pgtviz === 'seek' && Number.isFinite(m.step)) { M._pgw_seek(Math.max(0, Math.floor(m.step))); dirty = true; }
	});
	window.addEventListener('resize', () => { dirty = true; });

	/* ---- toolbar -------------------------------------------------------------- */
	const bar = document.getElementById('pgtviz-bar');
	const stepLabel = document.getElementById('pgtviz-step');
	const playBtn = bar.querySelector('[data-key="play"]');
	bar.addEventListener('click', (e) => {
		const b = e.target.closest('button');
		if (!b || !api.ready) return;
		const k = b.dataset.key;
		if (k === 'open') picker.click();
		else if (k === 'play') send(IN.KEY, KEY.SPACE, false, 0, 0, 0);
		else if (k === 'back') send(IN.KEY, KEY.LEFT, false, 0, 0, 0);
		else if (k === 'fwd') send(IN.KEY, KEY.RIGHT, false, 0, 0, 0);
		else if (k === 'prev') send(IN.KEY, KEY.PAGEUP, false, 0, 0, 0);
		else if (k === 'next') send(IN.KEY, KEY.PAGEDOWN, false, 0, 0, 0);
		else if (k === 'theme') setTheme(themeIndex + 1);
		else if (k === 'help') send(IN.KEY, KEY.QUESTION, false, 0, 0, 0);
		canvas.focus();
	});
	let told = -1;
	function tellParent() {
		const st = M._pgw_step();
		if (st === told || window.parent === window) return;
		told = st;
		window.parent.postMessage({ pgtviz: 'step', step: st, nsteps: M._pgw_nsteps() }, '*');
	}
	function updateControls() {
		tellParent();
		stepLabel.textContent = 'step ' + M._pgw_step() + ' / ' + Math.max(0, M._pgw_nsteps() - 1);
		playBtn.textContent = M._pgw_playing() ? '||' : '\u25b6';
		playBtn.title = M._pgw_playing() ? 'pause (Space)' : 'play (Space)';
	}
	function savePng() {
		canvas.toBlob((b) => {
			const a = document.createElement('a');
			a.href = URL.createObjectURL(b);
			a.download = (data.name || 'pgtviz') + '-step' + M._pgw_step() + '.png';
			a.click();
			setTimeout(() => URL.revokeObjectURL(a.href), 1000);
		});
	}

	/* ---- the test and benchmark hooks ------------------------------------ */
	api.step = () => M._pgw_step();
	api.nsteps = () => M._pgw_nsteps();
	api.seek = (s) => { M._pgw_seek(s); draw(); };
	api.press = (key) => { send(IN.KEY, keyOf({ key }), false, 0, 0, 0); draw(); };
	api.keyOf = (key) => keyOf({ key }); /* what the page sends for a DOM key name */
	api.constants = () => ({ dom: DOM, key: KEY, input: IN, request: REQ });
	api.png = () => { draw(); return canvas.toDataURL('image/png'); };
	/* The last frame's TEXT commands as the draw list gives them, with the
	 * box the page paints each in ([x, y, w, h]: anchored, its measured
	 * width and the face's height); the tests mask these. */
	api.textCommands = () => {
		const out = [], n = api.cmds;
		const base = M._pgw_cmds() >> 2, pool = M._pgw_text(), I = M.HEAP32, U8 = M.HEAPU8;
		for (let i = 0; i < n; i++) {
			const o = base + i * 9, head = I[o];
			if ((head & 255) !== 4) continue;
			const font = (head >> 8) & 255, anchor = (head >> 16) & 255, size = I[o + 5];
			const p = pool + I[o + 8];
			let e = p;
			while (U8[e]) e++;
			const s = M.UTF8ToString(p, e - p);
			if (!s) continue;
			let x = I[o + 1], y = I[o + 2];
			const w = measure(font, size, s), m = fontMetrics(font, size);
			if ((anchor & 3) === 1) x -= w >> 1;
			else if ((anchor & 3) === 2) x -= w;
			if (anchor & 4) y -= m.h >> 1;
			else if (anchor & 8) y -= m.h;
			out.push({ x: I[o + 1], y: I[o + 2], font, size, anchor, text: s, box: [x, y, w, m.h] });
		}
		return out;
	};
	api.load = (text, name) => { const ok = load(text, name); if (ok) draw(); return ok; };
	/* Steps n times, building and painting each frame; ms per frame. */
	api.bench = (n) => {
		const t0 = performance.now();
		for (let i = 0; i < n; i++) {
			M._pgw_event(IN.KEY, KEY.RIGHT, 0, 0, 0, 0);
			draw();
		}
		ctx.getImageData(0, 0, 1, 1); /* wait for the painting to finish */
		return (performance.now() - t0) / n;
	};

	/* ---- start -------------------------------------------------------------- */
	async function start() {
		await Promise.all(FAMILY.map((f) => document.fonts.load('16px ' + f)));
		M = await createPgtviz();
		if (M._pgw_cmd_size() !== 36) throw new Error('draw command layout: ' + M._pgw_cmd_size() + ' bytes, paint() reads 36');
		({ dom: DOM, key: KEY, input: IN, request: REQ } = JSON.parse(M.UTF8ToString(M._pgw_constants())));
		M.pgtMeasure = measure;
		const names = Object.keys(data.themes);
		setTheme(Math.max(0, names.indexOf(data.theme)));
		if (!load(data.scenario, data.file, data.schemes, data.kver)) return;
		if (typeof data.title === 'string') { /* export --title */
			withStrings([data.title], ([t]) => M._pgw_set_title(t[0]));
			document.title = M.UTF8ToString(M._pgw_title()) + ' - pgtviz';
		}
		withStrings([''], ([s]) => M._pgw_status(s[0]));
		seekFromHash();
		draw();
		api.firstFrameMs = performance.now();
		api.ready = true;
		if (window.parent === window) canvas.focus(); /* in a deck, keys stay with the deck */
		requestAnimationFrame(loop);
	}
	start().catch((e) => showErrors('pgtviz: error: ' + e));
})();
