/*
 * A small client for the Chrome DevTools Protocol over
 * --remote-debugging-pipe (file descriptors 3 and 4, NUL-separated JSON),
 * so the browser tests and the benchmark drive the system's Chromium with
 * node alone: no npm package, no browser download, no network port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_FLAGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-default-apps', '--disable-extensions', '--mute-audio', '--hide-scrollbars',
	'--force-device-scale-factor=1',
];

export class Browser {
	/* Starts chromium (path from $CHROMIUM or "chromium") with a fresh profile. */
	static async launch(width, height) {
		const b = new Browser();
		b.profile = mkdtempSync(join(tmpdir(), 'pgtviz-chromium-'));
		const exe = process.env.CHROMIUM || 'chromium';
		b.proc = spawn(exe, [...CHROMIUM_FLAGS, '--remote-debugging-pipe',
			`--user-data-dir=${b.profile}`, `--window-size=${width},${height}`, 'about:blank'],
			{ stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
		b.stderr = '';
		b.proc.stderr.on('data', (d) => { b.stderr += d; });
		b.next = 1;
		b.pending = new Map();
		b.listeners = [];
		let acc = Buffer.alloc(0);
		b.proc.stdio[4].on('data', (d) => {
			acc = Buffer.concat([acc, d]);
			let z;
			while ((z = acc.indexOf(0)) >= 0) {
				const msg = JSON.parse(acc.subarray(0, z).toString('utf8'));
				acc = acc.subarray(z + 1);
				b.dispatch(msg);
			}
		});
		b.exited = new Promise((res) => b.proc.on('exit', res));
		const { targetInfos } = await b.send('Target.getTargets');
		const page = targetInfos.find((t) => t.type === 'page');
		if (!page) throw new Error('chromium opened no page');
		const { sessionId } = await b.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
		b.session = sessionId;
		return b;
	}
	dispatch(msg) {
		if (msg.id && this.pending.has(msg.id)) {
			const { res, rej, method } = this.pending.get(msg.id);
			this.pending.delete(msg.id);
			if (msg.error) rej(new Error(method + ': ' + msg.error.message));
			else res(msg.result);
		} else if (msg.method) {
			for (const l of this.listeners) l(msg);
		}
	}
	/* Sends a command (to the page when session is true). */
	send(method, params = {}, session = false) {
		const id = this.next++;
		const m = { id, method, params };
		if (session) m.sessionId = this.session;
		return new Promise((res, rej) => {
			this.pending.set(id, { res, rej, method });
			this.proc.stdio[3].write(JSON.stringify(m) + '\0');
		});
	}
	page(method, params) {
		return this.send(method, params, true);
	}
	on(fn) {
		this.listeners.push(fn);
	}
	/* Evaluates an expression in the page (awaiting promises). */
	async eval(expr) {
		const r = await this.page('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true });
		if (r.exceptionDetails) throw new Error('page: ' + (r.exceptionDetails.exception?.description || r.exceptionDetails.text));
		return r.result.value;
	}
	/* Polls expr until it is truthy (the page has no fixed timing). */
	async waitFor(expr, what, limitMs = 60000) {
		const t0 = Date.now();
		for (;;) {
			if (await this.eval(expr)) return;
			if (Date.now() - t0 > limitMs) throw new Error('gave up waiting for ' + what);
			await new Promise((r) => setTimeout(r, 20));
		}
	}
	async navigate(url) {
		await this.page('Page.enable');
		const loaded = new Promise((res) => this.on((m) => { if (m.method === 'Page.loadEventFired') res(); }));
		await this.page('Page.navigate', { url });
		await loaded;
	}
	/* Presses one key (DOM key name, e.g. "ArrowRight", "PageDown", " "). */
	async key(key) {
		const codes = { ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40, PageUp: 33, PageDown: 34, Home: 36, End: 35, ' ': 32, Escape: 27, Tab: 9, Enter: 13 };
		const vk = codes[key] ?? key.toUpperCase().charCodeAt(0);
		const code = key === ' ' ? 'Space' : key;
		const text = key.length === 1 ? key : undefined;
		await this.page('Input.dispatchKeyEvent', { type: 'keyDown', key, code, windowsVirtualKeyCode: vk, text });
		await this.page('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: vk });
	}
	async close() {
		try {
			await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
		} catch (e) { /* already gone */ }
		if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
		await this.exited;
		/* Chromium's helpers (zygote, crashpad) can outlive the browser
		 * process and still write into the profile; they share its process
		 * group (detached above), so end the group before removing the
		 * profile, and let rmSync retry a directory that is still being
		 * emptied (ENOTEMPTY/EBUSY). */
		try { process.kill(-this.proc.pid, 'SIGKILL'); } catch (e) { /* group already gone */ }
		rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
	}
}
