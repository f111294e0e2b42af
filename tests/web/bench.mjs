/*
 * Benchmark of the HTML lesson (not a test: it prints figures, asserts
 * nothing).  Exports SCENARIO (default mail-0-1g-4k) to HTML, prints its
 * size, opens it in headless Chromium at 1920x1080 and prints
 *   - first frame: milliseconds from navigation start until the first frame
 *     is painted (fonts decoded, wasm compiled, simulations run, frame
 *     built and painted), best and median of RUNS page loads;
 *   - stepping: milliseconds per step (input event + frame build in wasm +
 *     painting on the canvas, forced to finish), mean and 95th percentile
 *     over 600 steps, and the frames per second that allows;
 * and the conditions that move them, taken in the same run: the load
 * average before, between the phases and after, the CPU, the Chromium
 * version, and how the canvas is rasterized (Chromium's own report of its
 * 2D-canvas and rasterization status: software or GPU).
 * usage: node tests/web/bench.mjs build/pgtviz [SCENARIO] [RUNS]
 */
import { Browser, CHROMIUM_FLAGS } from './cdp.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const [pgtviz, scenario = 'mail-0-1g-4k', runsArg = '5'] = process.argv.slice(2);
const runs = Math.max(1, Number(runsArg));
const dir = mkdtempSync(join(tmpdir(), 'pgtviz-bench-'));
const page = join(dir, scenario + '.html');
execFileSync(pgtviz, ['export', scenario, '-o', page]);
/* CPU time (user + system, ms) of every process in Chromium's process
 * group (browser, renderer, GPU/compositor helpers), from /proc: unlike
 * the wall clock, it hardly moves with the load of other work. */
const HZ = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function cpuMs(pgid) {
	let ticks = 0;
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
			if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
		} catch (e) { /* exited meanwhile */ }
	}
	return (ticks * 1000) / HZ;
}
const la = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`machine: ${cpus().length} CPUs (${cpus()[0].model}), load average ${la()}`);
console.log(`page: ${scenario}.html, ${(statSync(page).size / 1048576).toFixed(2)} MiB (${statSync(page).size} bytes)`);
const b = await Browser.launch(1920, 1080);
try {
	const ver = await b.send('Browser.getVersion');
	let render = 'unknown (SystemInfo.getInfo failed)';
	try {
		const { gpu } = await b.send('SystemInfo.getInfo');
		const fs = gpu.featureStatus || {};
		render = `2d_canvas ${fs['2d_canvas'] ?? '?'}, rasterization ${fs.rasterization ?? '?'}, gpu_compositing ${fs.gpu_compositing ?? '?'}` +
			(gpu.devices?.length ? `; GPU ${gpu.devices.map((d) => d.deviceString || d.vendorString || d.vendorId).join(', ')}` : '');
	} catch (e) { /* older Chromium */ }
	console.log(`browser: ${ver.product} (headless, flags ${CHROMIUM_FLAGS.filter((f) => /gpu|scale/.test(f)).join(' ')})`);
	console.log(`canvas: ${render}`);
	const first = [];
	for (let i = 0; i < runs; i++) {
		await b.navigate('about:blank');
		await b.navigate(`file://${page}#size=1920x1080`);
		await b.waitFor('window.pgtviz && (pgtviz.ready || pgtviz.errors)', 'the page', 120000);
		first.push(await b.eval('pgtviz.firstFrameMs'));
	}
	first.sort((x, y) => x - y);
	console.log(`load average after the page loads: ${la()}`);
	console.log(`first frame: best ${first[0].toFixed(0)} ms, median ${first[first.length >> 1].toFixed(0)} ms over ${runs} loads`);
	await b.eval('pgtviz.buildMs = pgtviz.paintMs = 0');
	console.log(`load average before stepping: ${la()}`);
	const cpu0 = cpuMs(b.proc.pid);
	const per = await b.eval(`(() => { const t = []; for (let i = 0; i < 600; i++) t.push(pgtviz.bench(1)); return t; })()`);
	const cpu = (cpuMs(b.proc.pid) - cpu0) / per.length;
	const sorted = [...per].sort((x, y) => x - y);
	const mean = per.reduce((s, x) => s + x, 0) / per.length;
	const p95 = sorted[Math.floor(sorted.length * 0.95)];
	const split = await b.eval('[pgtviz.buildMs / 600, pgtviz.paintMs / 600, pgtviz.cmds]');
	console.log(`  of which: frame built in wasm ${split[0].toFixed(2)} ms, painted ${split[1].toFixed(2)} ms (issued; ${split[2]} draw commands in the last frame)`);
	console.log(`stepping at 1920x1080: mean ${mean.toFixed(2)} ms/step, p95 ${p95.toFixed(2)} ms/step -> ${(1000 / mean).toFixed(0)} steps/s (mean), ${(1000 / p95).toFixed(0)} (p95); 60 fps needs <= 16.7 ms`);
	console.log(`  CPU time of Chromium's processes: ${cpu.toFixed(2)} ms/step (${HZ} Hz ticks; the wall-clock figures above grow with the load, this one hardly)`);
} finally {
	await b.close();
	rmSync(dir, { recursive: true, force: true });
}
console.log(`load average after: ${la()}`);
