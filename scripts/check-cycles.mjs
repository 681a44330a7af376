// Fails on an import cycle across src/ folders (issue 10): dependency-cruiser builds the module
// graph (type-only imports included), then the graph is collapsed to the folders under src/ and
// searched for a cycle. A cycle between files of one folder is that folder's own business; a cycle
// between folders means the pipeline no longer points one way. Also enforced as module rules:
// the accelerator never imports the compiler, and the subset imports nothing of ours.
import { cruise } from 'dependency-cruiser';

const FORBIDDEN = [
  { from: 'accelerator', to: 'compiler', why: 'running compiled code needs no compiler' },
  { from: 'accelerator', to: 'tracer', why: 'running compiled code needs no tracer' },
];
const SELF_CONTAINED = ['subset', 'trace', 'store', 'metrics', 'api'];

// The tree to check: src/ of the current directory, or another one (the check's own test uses one).
const root = process.argv[2] ?? 'src';
const prefix = root.replace(/\/+$/, '') + '/';
const folderOf = (file) => (file.startsWith(prefix) ? /^([^/]+)\//.exec(file.slice(prefix.length))?.[1] : undefined);
const result = await cruise([root], { tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' }, exclude: { path: 'node_modules' } });
const edges = new Map(); // folder -> Map(folder -> an example "file -> file")
const problems = [];
for (const m of result.output.modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    if (d.couldNotResolve) problems.push(`${m.source}: cannot resolve ${d.module}`);
    const to = folderOf(d.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${m.source} -> ${d.resolved}`);
    for (const f of FORBIDDEN) if (f.from === from && f.to === to) problems.push(`${m.source} imports ${d.resolved}: ${f.why}`);
    if (SELF_CONTAINED.includes(from)) problems.push(`${m.source} imports ${d.resolved}: ${from}/ depends on no other folder of ours`);
  }
}

// Depth-first search for a back edge; reports the cycle with one import per step.
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 'open');
  stack.push(f);
  for (const to of edges.get(f)?.keys() ?? []) {
    if (state.get(to) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(to)), to];
      problems.push(`import cycle across folders: ${cycle.join(' -> ')}\n${cycle.slice(1).map((t, i) => `    ${edges.get(cycle[i]).get(t)}`).join('\n')}`);
    } else if (!state.has(to)) visit(to);
  }
  stack.pop();
  state.set(f, 'done');
}
for (const f of [...edges.keys()].sort()) if (!state.has(f)) visit(f);

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`no import cycle across ${new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]).size} folders of ${root} (${result.output.modules.length} modules)`);
