// What `npm run bench:server` prints: the measurements, the ratios against their
// targets, and memory per pending challenge, as Markdown tables.

function table(head, rows) {
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => String(r[i]).length)),
  );
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`]
    .concat(rows.map(line))
    .join('\n');
}

/** Prints the tables; returns the measurements with non-2xx answers and the targets missed. */
export function report(results, memory, pending) {
  const find = (target, operation) =>
    results.find((r) => r.target.includes(target) && r.operation === operation);
  const percent = (share) => `${Math.round(share * 100)}%`;
  console.log('\n## Throughput and latency\n');
  console.log(
    table(
      [
        'target',
        'operation',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'server busy',
        'server CPU µs/req',
        'Redis CPU µs/req',
        'Redis commands/req',
      ],
      results.map((r) => [
        r.target,
        r.operation,
        Math.round(r.rps),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        r.failed,
        percent(r.busy),
        Math.round(r.serverMicros),
        r.redisMicros === undefined ? '' : Math.round(r.redisMicros),
        r.redisCommands === undefined ? '' : r.redisCommands.toFixed(1),
      ]),
    ),
  );

  /** A ratio against the floor holds only if the floor was saturated: its process busy. */
  const FLOOR_BUSY = 0.85;
  const ratio = (label, value, target, meets, floor) => {
    const saturated = !floor || floor.busy >= FLOOR_BUSY;
    return [
      label,
      value.toFixed(2),
      target,
      floor ? percent(floor.busy) : '',
      !saturated ? 'NOT MET (floor not saturated)' : meets(value) ? 'met' : 'NOT MET',
    ];
  };
  const againstFloor = (operation, target) => {
    const floor = find('bare', operation);
    return ratio(
      `${operation} requests/s: memory store ÷ bare`,
      find('memory', operation).rps / floor.rps,
      `≥ ${target.toFixed(2)}`,
      (v) => v >= target,
      floor,
    );
  };
  const ratios = [
    againstFloor('confirm', 0.35),
    againstFloor('issue', 0.3),
    ...['issue', 'confirm'].map((operation) =>
      ratio(
        `${operation} p99: Redis store ÷ memory store`,
        find('Redis', operation).p99 / find('memory', operation).p99,
        '≤ 2.00',
        (v) => v <= 2,
      ),
    ),
  ];
  console.log('\n## Ratios (the figures to quote)\n');
  console.log(
    table(
      ['ratio', 'value', 'target', `floor busy (≥ ${percent(FLOOR_BUSY)})`, ''],
      ratios,
    ),
  );

  console.log(
    `\n## Memory per pending challenge (${pending.toLocaleString('en')} issued)\n`,
  );
  console.log(
    table(
      ['store', 'bytes per pending challenge', 'measured as'],
      [
        ['memory', Math.round(memory.memory), 'Node heap used after GC'],
        ['Redis', Math.round(memory.redis), 'INFO memory used_memory'],
      ],
    ),
  );
  return {
    failed: results.filter((r) => r.failed),
    missed: ratios.filter((r) => r[4] !== 'met'),
  };
}
