// Paper benchmark "maze" (CPU-bound): shortest path on a fixed grid with a breadth-first search
// driven by an explicit queue. The grid is generated once at top level from a fixed seed.
const containerless = require('containerless');

const SIZE = 40;
let seed = 12345;
function nextRandom() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

const grid = [];
for (let r = 0; r < SIZE; r++) {
  const row = [];
  for (let c = 0; c < SIZE; c++) row.push(nextRandom() < 0.28 ? 1 : 0);
  grid.push(row);
}
grid[0][0] = 0;
grid[SIZE - 1][SIZE - 1] = 0;

const moves = [[1, 0], [-1, 0], [0, 1], [0, -1]];

function clampCell(v) {
  const n = Math.floor(Number(v));
  if (!Number.isFinite(n)) return 0;
  return Math.min(SIZE - 1, Math.max(0, n));
}

function shortestPath(from, to) {
  const dist = [];
  for (let i = 0; i < SIZE * SIZE; i++) dist.push(-1);
  const queue = [from];
  let head = 0;
  dist[from[0] * SIZE + from[1]] = 0;
  while (head < queue.length) {
    const cell = queue[head++];
    const d = dist[cell[0] * SIZE + cell[1]];
    if (cell[0] === to[0] && cell[1] === to[1]) return { steps: d, explored: head };
    for (const [dr, dc] of moves) {
      const r = cell[0] + dr;
      const c = cell[1] + dc;
      if (r < 0 || c < 0 || r >= SIZE || c >= SIZE) continue;
      if (grid[r][c] === 1 || dist[r * SIZE + c] !== -1) continue;
      dist[r * SIZE + c] = d + 1;
      queue.push([r, c]);
    }
  }
  return { steps: -1, explored: head };
}

containerless.listen(function (req) {
  const q = req.query;
  const from = [clampCell(q.r0 || 0), clampCell(q.c0 || 0)];
  const to = [clampCell(q.r1 === undefined ? SIZE - 1 : q.r1), clampCell(q.c1 === undefined ? SIZE - 1 : q.c1)];
  if (grid[from[0]][from[1]] === 1 || grid[to[0]][to[1]] === 1) {
    containerless.respond({ from: from, to: to, error: 'wall' }, { status: 422 });
    return;
  }
  const result = shortestPath(from, to);
  containerless.respond({ from: from, to: to, steps: result.steps, explored: result.explored, reachable: result.steps >= 0 });
});
