/*
 * Browser test of the HTML lesson: `pgtviz export SCENARIO -o X.html`,
 * opened in headless Chromium (no network; every request is recorded and
 * must be file: or data:), driven with real key events, a #step= link and
 * the file picker; each frame is compared with `pgtviz export --format
 * png` of the same step and size:
 *   - text boxes come from the draw list: for every TEXT command of the
 *     page's frame, the box the page paints it in (anchor point, its
 *     measured width, the face's height) grown by TEXT_MARGIN pixels on
 *     each side (glyph ink outside the advance box, antialiasing), united
 *     with the box SDL_ttf renders the same command into natively (the
 *     surface size text_size prints, placed at the same anchor);
 *   - shapes pixel for pixel: every pixel outside those boxes must be
 *     identical to the bit (no tolerance);
 *   - text within a tolerance: inside the boxes the mean per-pixel
 *     difference (largest of R, G, B) stays under TEXT_MEAN_MAX of 255
 *     (the same DejaVu faces and sizes, another rasterizer: FreeType with
 *     hinting natively, Skia in the page), and the boxes are there.
 * usage: node browser_test.mjs PGTVIZ SCENARIO WORKDIR [DMESG BAD.json [TEXT_SIZE]]
 * Exit 77 (ctest: skipped) with the reason when Chromium or the browser
 * build is missing.
 */
import { Browser } from './cdp.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [pgtviz, scenario, work, dmesg, bad, textSize] = process.argv.slice(2);
const W = 1024, H = 576;
const TEXT_MARGIN = 1;    /* px around the page's text box */
const TEXT_MEAN_MAX = 35; /* of 255, mean difference inside text boxes (26-29 seen) */
let failed = 0, passed = 0;
function check(ok, what) {
	if (ok) passed++;
	else { failed++; console.log('FAIL: ' + what); }
}
function skip(why) {
	console.log('SKIP: ' + why);
	process.exit(77);
}
if (spawnSync(process.env.CHROMIUM || 'chromium', ['--version']).status !== 0) skip('chromium is not installed (scripts/deps.sh test)');
if (spawnSync('convert', ['-version']).status !== 0) skip('ImageMagick convert is not installed');
mkdirSync(work, { recursive: true });
const page = join(work, 'lesson.html');
const ex = spawnSync(pgtviz, ['export', scenario, '-o', page], { encoding: 'utf8' });
if (ex.status !== 0 && /browser build/.test(ex.stderr)) skip(ex.stderr.trim());
check(ex.status === 0 && existsSync(page), 'export -o lesson.html: ' + ex.stderr);
const html = readFileSync(page, 'utf8');
check(!/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), 'the page refers to nothing outside itself');

/* RGBA pixels of a PNG (ImageMagick). */
function rgba(png) {
	return execFileSync('convert', [png, '-depth', '8', 'rgba:-'], { maxBuffer: 1 << 28 });
}
function native(step, theme, scn = scenario, extra = []) {
	const out = join(work, `native-${theme}-${step}.png`);
	execFileSync(pgtviz, ['export', scn, '--steps', String(step), '--size', `${W}x${H}`, '--theme', theme, '-o', out, ...extra]);
	return out;
}
/* The native text box sizes [w, h] of the page's TEXT commands (SDL_ttf,
 * through text_size); null without the helper (the mask is then the
 * page's boxes alone, said in the output). */
function nativeSizes(cmds) {
	if (!textSize) return null;
	const input = cmds.map((c) => `${c.font}\t${c.size}\t${c.text.replace(/[\t\n]/g, ' ')}\n`).join('');
	const out = execFileSync(textSize, [], { input, encoding: 'utf8' }).trim().split('\n');
	check(out.length === cmds.length, 'text_size answers every command');
	return out.map((l) => l.split(' ').map(Number));
}
/* Compares the page's frame with the native export; returns a summary. */
async function compare(b, label, step, theme, scn, extra = []) {
	const url = await b.eval('pgtviz.png()');
	const webPng = join(work, `web-${label}.png`);
	writeFileSync(webPng, Buffer.from(url.split(',')[1], 'base64'));
	const cmds = await b.eval('pgtviz.textCommands()');
	const a = rgba(webPng), n = rgba(native(step, theme, scn, extra));
	check(a.length === W * H * 4 && n.length === a.length, `${label}: both frames are ${W}x${H}`);
	const text = new Uint8Array(W * H);
	const mark = (x0, y0, x1, y1) => {
		x0 = Math.max(0, x0); x1 = Math.min(W, x1);
		for (let j = Math.max(0, y0); j < Math.min(H, y1); j++) if (x1 > x0) text.fill(1, j * W + x0, j * W + x1);
	};
	const sizes = nativeSizes(cmds);
	if (!sizes) console.log('note: no text_size helper given: the mask is the page\'s text boxes alone');
	let wider = 0;
	cmds.forEach((c, i) => {
		const [x, y, w, h] = c.box;
		mark(x - TEXT_MARGIN, y - TEXT_MARGIN, x + w + TEXT_MARGIN, y + h + TEXT_MARGIN);
		if (!sizes) return;
		/* where raster.c puts the SDL_ttf surface (pgt_raster_text_origin) */
		const [nw, nh] = sizes[i];
		let nx = c.x, ny = c.y;
		if ((c.anchor & 3) === 1) nx -= Math.trunc(nw / 2);
		else if ((c.anchor & 3) === 2) nx -= nw;
		if (c.anchor & 4) ny -= Math.trunc(nh / 2);
		else if (c.anchor & 8) ny -= nh;
		mark(nx, ny, nx + nw, ny + nh);
		wider = Math.max(wider, nw - w);
	});
	let shapeDiff = 0, textPx = 0, textSum = 0;
	const diffImg = Buffer.alloc(W * H * 4, 255);
	for (let i = 0; i < W * H; i++) {
		const o = i * 4;
		const d = Math.max(Math.abs(a[o] - n[o]), Math.abs(a[o + 1] - n[o + 1]), Math.abs(a[o + 2] - n[o + 2]));
		if (text[i]) {
			textPx++;
			textSum += d;
			diffImg[o] = diffImg[o + 1] = 225; /* the mask, pale blue */
		} else if (d > 0) {
			shapeDiff++;
			diffImg[o + 1] = diffImg[o + 2] = 0;
		}
	}
	execFileSync('convert', ['-size', `${W}x${H}`, '-depth', '8', 'rgba:-', join(work, `diff-${label}.png`)], { input: diffImg });
	const textMean = textPx ? textSum / textPx : 0;
	console.log(`${label}: step ${step}, ${cmds.length} text commands masking ${textPx} pixels` +
		` (SDL_ttf up to ${wider} px wider than the page); outside them ${shapeDiff} of ${W * H - textPx} pixels differ;` +
		` inside, mean difference ${textMean.toFixed(1)}/255`);
	check(shapeDiff === 0, `${label}: outside the text boxes the page is the native export to the bit (${shapeDiff} pixels differ; see diff-${label}.png)`);
	check(cmds.length > 20 && textMean < TEXT_MEAN_MAX, `${label}: text within tolerance (mean ${textMean.toFixed(1)} < ${TEXT_MEAN_MAX})`);
}

const b = await Browser.launch(W, H);
const requests = [];
try {
	await b.page('Network.enable');
	b.on((m) => { if (m.method === 'Network.requestWillBeSent') requests.push(m.params.request.url); });
	const base = 'file://' + resolve(page);
	await b.navigate(base + `#step=0&plain&size=${W}x${H}`);
	await b.waitFor('window.pgtviz && (pgtviz.ready || pgtviz.errors)', 'the page to start');
	check(await b.eval('pgtviz.ready'), 'page started: ' + (await b.eval('pgtviz.errors')));
	const last = (await b.eval('pgtviz.nsteps()')) - 1;
	await compare(b, 'step0', 0, 'light');

	/* Keys: Right x3 steps, Left steps back, PageDown goes to the next marker. */
	for (let i = 0; i < 3; i++) await b.key('ArrowRight');
	await b.key('ArrowLeft');
	check((await b.eval('pgtviz.step()')) === 2, 'Right x3, Left: step 2');
	await compare(b, 'keys', 2, 'light');
	await b.key('PageDown');
	const mk = await b.eval('pgtviz.step()');
	check(mk > 2, 'PageDown moves to a later marker (' + mk + ')');
	await compare(b, 'marker', mk, 'light');
	await b.key('PageUp');
	check((await b.eval('pgtviz.step()')) < mk, 'PageUp goes back');
	/* Space plays; Space again pauses, and the step no longer moves. */
	await b.key(' ');
	check(await b.eval('new Promise(r => { const s = pgtviz.step(); const t = setInterval(() => { if (pgtviz.step() !== s) { clearInterval(t); r(true); } }, 10); })'), 'Space plays');
	await b.key(' ');
	const paused = await b.eval('pgtviz.step()');
	await b.eval('new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))');
	check((await b.eval('pgtviz.step()')) === paused, 'Space pauses');
	/* t: the next theme (light -> cb). */
	await b.key('End');
	await b.key('t');
	await compare(b, 'end-cb', last, 'cb');
	await b.key('t');
	await b.key('t'); /* cb -> dark -> light */

	/* A #step= link. */
	const k = Math.floor(last / 3);
	await b.navigate('about:blank');
	await b.navigate(base + `#step=${k}&plain&size=${W}x${H}`);
	await b.waitFor('window.pgtviz && pgtviz.ready', 'the page to start again');
	check((await b.eval('pgtviz.step()')) === k, `#step=${k} opens at step ${k}`);
	await compare(b, 'fragment', k, 'light');
	/* ... and a link within the open page (hashchange). */
	await b.eval(`location.hash = 'step=${k + 5}&plain&size=${W}x${H}'`);
	await b.waitFor(`pgtviz.step() === ${k + 5}`, 'the step of the changed #step=');

	/* export --title: the page draws the title given, as the native
	 * export does, and the browser tab says it. */
	const TITLE = 'A slide: the lesson, titled my way';
	const titled = join(work, 'titled.html');
	const tx = spawnSync(pgtviz, ['export', scenario, '-o', titled, '--title', TITLE], { encoding: 'utf8' });
	check(tx.status === 0, 'export -o titled.html --title: ' + tx.stderr);
	await b.navigate('about:blank');
	await b.navigate('file://' + resolve(titled) + `#step=${k}&plain&size=${W}x${H}`);
	await b.waitFor('window.pgtviz && pgtviz.ready', 'the titled page to start');
	check((await b.eval('document.title')) === TITLE + ' - pgtviz', 'the tab is titled by --title: ' + (await b.eval('document.title')));
	check((await b.eval('pgtviz.textCommands()')).some((c) => c.text === TITLE), 'the page draws the --title');
	await compare(b, 'titled', k, 'light', scenario, ['--title', TITLE]);
	await b.navigate('about:blank');
	await b.navigate(base + `#step=${k}&plain&size=${W}x${H}`);
	await b.waitFor('window.pgtviz && pgtviz.ready', 'the page to start a third time');

	/* The file picker: a dmesg imported by the same C importer ... */
	if (dmesg) {
		const doc = await b.page('DOM.getDocument');
		const { nodeId } = await b.page('DOM.querySelector', { nodeId: doc.root.nodeId, selector: '#pgtviz-file' });
		await b.page('DOM.setFileInputFiles', { nodeId, files: [resolve(dmesg)] });
		await b.waitFor('pgtviz.step() === 0 && document.title.length > 0 && pgtviz.nsteps() !== ' + (last + 1), 'the dmesg to load');
		check((await b.eval('pgtviz.errors')) === '', 'dmesg loads without errors');
		const dl = (await b.eval('pgtviz.nsteps()')) - 1;
		await b.key('End');
		await compare(b, 'dmesg', dl, 'light', dmesg);
		/* ... and a broken scenario: file:line:col errors, the lesson stays. */
		if (bad) {
			await b.page('DOM.setFileInputFiles', { nodeId, files: [resolve(bad)] });
			await b.waitFor('pgtviz.errors !== ""', 'the error message');
			const errs = await b.eval('pgtviz.errors');
			const want = spawnSync(pgtviz, ['log', bad], { encoding: 'utf8' }).stderr.split('\n')[0];
			const base = bad.split('/').pop();
			check(want.length > 0 && errs.includes(want.replace(bad, base)), `errors as the CLI prints them: page "${errs.trim()}", CLI "${want}"`);
			check(/:\d+:\d+: error:/.test(errs), 'the error has line and column');
			check(await b.eval('!document.getElementById("pgtviz-errors").hidden'), 'the error box is shown');
			check((await b.eval('pgtviz.nsteps()')) === dl + 1, 'the loaded lesson stays');
		}
	}
	const outside = requests.filter((u) => !/^(file|data):/.test(u));
	check(outside.length === 0, 'no network requests: ' + outside.join(' '));
	check(requests.some((u) => u.startsWith('data:font/woff2')), 'fonts come from the page');
} catch (e) {
	check(false, String(e.stack || e));
} finally {
	await b.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
