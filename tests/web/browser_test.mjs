/*
 * Browser test of the HTML lesson: `pgtviz export SCENARIO -o X.html`,
 * opened in headless Chromium (no network; every request is recorded and
 * must be file: or data:), driven with real key events, a #step= link and
 * the file picker; each frame is compared with `pgtviz export --format
 * png` of the same step and size:
 *   - shapes pixel for pixel: every pixel away from text (the page reports
 *     where it drew text; fonts are the browser's) must be identical,
 *     except for a few pixels of marks the view places after text whose
 *     width the browser measures slightly differently (bounded below);
 *   - text within a tolerance: inside text boxes the mean difference is
 *     small (the same font and size, a different rasterizer).
 * usage: node browser_test.mjs PGTVIZ SCENARIO WORKDIR [DMESG BAD.json]
 * Exit 77 (ctest: skipped) with the reason when Chromium or the browser
 * build is missing.
 */
import { Browser } from './cdp.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [pgtviz, scenario, work, dmesg, bad] = process.argv.slice(2);
const W = 1024, H = 576;
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
function native(step, theme, scn = scenario) {
	const out = join(work, `native-${theme}-${step}.png`);
	execFileSync(pgtviz, ['export', scn, '--steps', String(step), '--size', `${W}x${H}`, '--theme', theme, '-o', out]);
	return out;
}
/* Compares the page's frame with the native export; returns a summary. */
async function compare(b, label, step, theme, scn) {
	const url = await b.eval('pgtviz.png()');
	const webPng = join(work, `web-${label}.png`);
	writeFileSync(webPng, Buffer.from(url.split(',')[1], 'base64'));
	const boxes = await b.eval('pgtviz.textBoxes()');
	const a = rgba(webPng), n = rgba(native(step, theme, scn));
	check(a.length === W * H * 4 && n.length === a.length, `${label}: both frames are ${W}x${H}`);
	const text = new Uint8Array(W * H);
	for (const [x, y, w, h] of boxes) {
		/* a margin for glyph overhang and the native text's own width */
		const x0 = Math.max(0, x - 3), x1 = Math.min(W, x + w + Math.ceil(w * 0.06) + 4);
		for (let j = Math.max(0, y - 2); j < Math.min(H, y + h + 2); j++) text.fill(1, j * W + x0, j * W + x1);
	}
	let shapeDiff = 0, textPx = 0, textSum = 0;
	const diffImg = Buffer.alloc(W * H * 4, 255);
	for (let i = 0; i < W * H; i++) {
		const o = i * 4;
		const d = Math.max(Math.abs(a[o] - n[o]), Math.abs(a[o + 1] - n[o + 1]), Math.abs(a[o + 2] - n[o + 2]));
		if (text[i]) {
			textPx++;
			textSum += d;
		} else if (d > 0) {
			shapeDiff++;
			diffImg[o + 1] = diffImg[o + 2] = 0;
		}
	}
	execFileSync('convert', ['-size', `${W}x${H}`, '-depth', '8', 'rgba:-', join(work, `diff-${label}.png`)], { input: diffImg });
	const textMean = textPx ? textSum / textPx : 0;
	console.log(`${label}: step ${step}, ${shapeDiff} shape pixels differ (of ${W * H - textPx} outside text), text mean difference ${textMean.toFixed(1)}/255`);
	check(shapeDiff <= 0.002 * W * H, `${label}: shapes match the native export (${shapeDiff} pixels differ; see diff-${label}.png)`);
	check(boxes.length > 20 && textMean < 45, `${label}: text within tolerance (mean ${textMean.toFixed(1)})`);
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
