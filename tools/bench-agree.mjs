// tools/bench-agree.mjs DUCK.json OURS.json: do DuckDB's figures
// (tools/bench-duckdb.mjs) agree with oak-performance-stats' output,
// agent by agent? Counts, success rate, mean quality and mean duration
// exactly (both rounded as the seed rounds), the task types and failure
// messages as sets (ties may order differently), the total and the date
// range. Prints one line; exit 1 on a difference.
import { readFileSync } from 'node:fs';

const duck = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ours = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const bad = [];
const same = (what, a, b) => {
	if (JSON.stringify(a) !== JSON.stringify(b))
		bad.push(`${what}: duckdb ${JSON.stringify(a)}, oak ${JSON.stringify(b)}`);
};
const day = (t) => t.replace(' ', 'T').replace(/Z$/, '').replace(/\.0+$/, '');
same('total_invocations', duck.total_invocations, ours.total_invocations);
same('date_range.start', day(duck.date_range.start), day(ours.date_range.start));
same('date_range.end', day(duck.date_range.end), day(ours.date_range.end));
same('agents', Object.keys(duck.agents).sort(), Object.keys(ours.agents).sort());
for (const [name, o] of Object.entries(ours.agents)) {
	const d = duck.agents[name] || {};
	for (const k of ['invocation_count', 'success_rate', 'average_quality',
		'average_duration_seconds'])
		same(`${name}.${k}`, d[k], o[k]);
	for (const k of ['common_task_types', 'common_failures'])
		same(`${name}.${k}`, [...(d[k] || [])].sort(), [...o[k]].sort());
}
if (bad.length) {
	console.error('bench-agree: DuckDB and oak differ:\n' + bad.join('\n'));
	process.exit(1);
}
console.log(`DuckDB agrees with oak-performance-stats on ${Object.keys(ours.agents).length} agents`);
