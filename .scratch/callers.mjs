import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const target = process.argv[3]; const depth = Number(process.argv[4] ?? 6);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(); for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const stacks = new Map(); let tot = 0;
for (const [id, t] of self) { const n = byId.get(id); if (n.callFrame.functionName !== target) continue; tot += t;
  const chain = []; let cur = parent.get(id); while (cur !== undefined && chain.length < depth) { chain.push(key(byId.get(cur))); cur = parent.get(cur); }
  const k = chain.join(' < '); stacks.set(k, (stacks.get(k) ?? 0) + t); }
for (const [k, t] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${(100 * t / tot).toFixed(1)}%  ${k}\n`);
