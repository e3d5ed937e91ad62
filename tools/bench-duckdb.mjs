// tools/bench-duckdb.mjs DIR: what oak-performance-stats computes per
// agent, by DuckDB (@duckdb/node-api, installed under build/duckdb by
// make bench-peers), over a telemetry directory in the reference form:
// read_json of the invocation log and the success metrics, as a user who
// reaches for DuckDB would write it, and one query. The last metric of an
// invocation (its latest timestamp) is joined to it, as
// oak-join-by-invocation attaches the last one. Prints one JSON object:
// total, date range and, per agent, the count, success rate, mean quality
// and mean duration rounded as the seed rounds them, and the three most
// common task types and five most common failure messages.
// DuckDB uses every core (its default); the bench runs it as it is.
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const inv = q(dir + '/agent_invocations.jsonl');
const met = q(dir + '/success_metrics.jsonl');

const sql = `
WITH inv AS (
  SELECT invocation_id, agent_name, timestamp::VARCHAR AS ts,
         duration_seconds AS dur, outcome.status AS status,
         outcome.error_message AS err,
         state_features.task.type AS task_type
  FROM read_json(${inv}, format = 'newline_delimited')
),
met AS (
  SELECT invocation_id, arg_max(quality_rating, timestamp) AS quality
  FROM read_json(${met}, format = 'newline_delimited')
  GROUP BY invocation_id
),
j AS (
  SELECT inv.*, met.quality FROM inv LEFT JOIN met USING (invocation_id)
),
agents AS (
  SELECT agent_name,
         count(*) AS invocation_count,
         round(count(*) FILTER (status = 'success') /
               greatest(count(*) FILTER (status IN ('success', 'failure')), 1), 3)
           AS success_rate,
         round(coalesce(avg(quality), 0), 2) AS average_quality,
         round(coalesce(avg(dur) FILTER (dur <> 0), 0), 2)
           AS average_duration_seconds,
         min(ts) AS first_ts
  FROM j GROUP BY agent_name
),
tasks AS (
  SELECT agent_name, list(task_type ORDER BY n DESC, first ASC)[1:3] AS common_task_types
  FROM (SELECT agent_name, task_type, count(*) AS n, min(ts) AS first
        FROM j WHERE task_type IS NOT NULL AND task_type <> ''
        GROUP BY ALL)
  GROUP BY agent_name
),
fails AS (
  SELECT agent_name, list(err ORDER BY n DESC, first ASC)[1:5] AS common_failures
  FROM (SELECT agent_name, err, count(*) AS n, min(ts) AS first
        FROM j WHERE status = 'failure' AND err IS NOT NULL AND err <> ''
        GROUP BY ALL)
  GROUP BY agent_name
)
SELECT a.*, t.common_task_types, f.common_failures,
       (SELECT count(*) FROM j) AS total, (SELECT min(ts) FROM j) AS start_ts,
       (SELECT max(ts) FROM j) AS end_ts
FROM agents a LEFT JOIN tasks t USING (agent_name)
LEFT JOIN fails f USING (agent_name)
ORDER BY a.first_ts`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const reader = await con.runAndReadAll(sql);
const rows = reader.getRowObjectsJson();
const out = { total_invocations: 0, date_range: {}, agents: {} };
for (const r of rows) {
	out.total_invocations = Number(r.total);
	out.date_range = { start: r.start_ts, end: r.end_ts };
	out.agents[r.agent_name] = {
		invocation_count: Number(r.invocation_count),
		success_rate: Number(r.success_rate),
		average_quality: Number(r.average_quality),
		average_duration_seconds: Number(r.average_duration_seconds),
		common_task_types: r.common_task_types,
		common_failures: r.common_failures,
	};
}
console.log(JSON.stringify(out));
