/*
 * The slide-deck example (docs/examples/deck.html) with two lessons made by
 * `pgtviz export`: both frames start at their #step= and report it to the
 * deck, the deck's keys drive the lesson of the current slide, N moves to
 * the next slide, and nothing is fetched from the network.
 * usage: node deck_test.mjs PGTVIZ DECK.html WORKDIR   (exit 77: skipped)
 */
import { Browser } from './cdp.mjs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [pgtviz, deck, work] = process.argv.slice(2);
let failed = 0, passed = 0;
function check(ok, what) {
	if (ok) passed++;
	else { failed++; console.log('FAIL: ' + what); }
}
if (spawnSync(process.env.CHROMIUM || 'chromium', ['--version']).status !== 0) {
	console.log('SKIP: chromium is not installed');
	process.exit(77);
}
mkdirSync(work, { recursive: true });
copyFileSync(deck, join(work, 'deck.html'));
for (const s of ['mail-0-1g-4k', 'xen-live-patient']) {
	const r = spawnSync(pgtviz, ['export', s, '-o', join(work, s + '.html')], { encoding: 'utf8' });
	if (r.status !== 0 && /browser build/.test(r.stderr)) {
		console.log('SKIP: ' + r.stderr.trim());
		process.exit(77);
	}
	check(r.status === 0, `export ${s}: ${r.stderr}`);
}
const b = await Browser.launch(1280, 800);
const requests = [];
try {
	await b.page('Network.enable');
	b.on((m) => { if (m.method === 'Network.requestWillBeSent') requests.push(m.params.request.url); });
	await b.navigate('file://' + resolve(work, 'deck.html'));
	const pos = (i) => `document.querySelectorAll('.pos')[${i}].textContent`;
	/* Both lessons start (the hidden one too) and report their #step=. */
	await b.waitFor(`${pos(0)} !== '' && ${pos(1)} !== ''`, 'both lessons to report their step');
	check(/^step 300 \/ \d+$/.test(await b.eval(pos(0))), 'lesson 1 opens at #step=300: ' + (await b.eval(pos(0))));
	check(/^step 0 \/ \d+$/.test(await b.eval(pos(1))), 'lesson 2 opens at step 0: ' + (await b.eval(pos(1))));
	/* The deck forwards a clicker's PageDown / Right to the current lesson. */
	await b.key('ArrowRight');
	await b.waitFor(`${pos(0)}.startsWith('step 301 ')`, 'Right to reach lesson 1');
	check(true, 'Right steps lesson 1');
	await b.key('n');
	check(await b.eval(`document.getElementById('s2').classList.contains('current')`), 'N shows slide 2');
	await b.key('ArrowRight');
	await b.key('ArrowRight');
	await b.waitFor(`${pos(1)}.startsWith('step 2 ')`, 'two Rights to reach lesson 2');
	check((await b.eval(pos(0))).startsWith('step 301 '), 'lesson 1 stays where it was');
	const outside = requests.filter((u) => !/^(file|data):/.test(u));
	check(outside.length === 0, 'no network requests: ' + outside.join(' '));
} catch (e) {
	check(false, String(e.stack || e));
} finally {
	await b.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
