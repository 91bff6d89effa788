// usage: node profsum.mjs file.cpuprofile [top]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 40);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas; let total = 0;
for (let i = 0; i < prof.samples.length; i++) { const d = dt[i] ?? 0; self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + d); total += d; }
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const selfBy = new Map(); const incl = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + t);
  const seen = new Set(); let cur = id;
  while (cur !== undefined) { const k = key(byId.get(cur)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); }
}
const idle = [...selfBy].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, t]) => a + t, 0);
console.log(`total ${(total/1e6).toFixed(2)} s, idle ${(idle/1e6).toFixed(2)} s, busy ${((total-idle)/1e6).toFixed(2)} s`);
const busy = total - idle;
const pr = (m, title) => { console.log(`\n== ${title}`); for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(100*t/busy).toFixed(1).padStart(5)}%  ${k}`); };
pr(new Map([...selfBy].filter(([k]) => !k.startsWith('(idle)'))), 'self');
pr(new Map([...incl].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)'))), 'inclusive');
