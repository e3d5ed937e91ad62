-- sql/load.sql: one load of oak-export-postgres, run by psql in a single
-- transaction (--single-transaction, ON_ERROR_STOP): the schema, then
-- three COPY streams on psql's standard input, each ended by "\.":
-- JoinedInvocations, InvocationUpdates, SuccessMetrics, each row
-- "LINE<TAB>JSON" as oak-pg-copy writes it. Rows already loaded are
-- matched on their keys (ON CONFLICT): an invocation is brought up to
-- date, a metric or update already there is left alone.
\set ON_ERROR_STOP on
SET LOCAL client_min_messages = warning;
SET LOCAL TIME ZONE 'UTC';
\ir schema.sql
-- one load at a time, so that seq keeps the order of first appearance
LOCK TABLE invocations, success_metrics, invocation_updates
    IN SHARE ROW EXCLUSIVE MODE;

CREATE TEMP TABLE oak_stage_invocations (line bigint, r jsonb) ON COMMIT DROP;
CREATE TEMP TABLE oak_stage_updates (line bigint, r jsonb) ON COMMIT DROP;
CREATE TEMP TABLE oak_stage_metrics (line bigint, r jsonb) ON COMMIT DROP;
\copy oak_stage_invocations FROM pstdin
\copy oak_stage_updates FROM pstdin
\copy oak_stage_metrics FROM pstdin

-- a string member as text, a whole number as bigint, else null
CREATE FUNCTION pg_temp.txt(j jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN jsonb_typeof(j) = 'string' THEN j #>> '{}' END $$;
CREATE FUNCTION pg_temp.whole(j jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN jsonb_typeof(j) = 'number' THEN
                CASE WHEN j::numeric = trunc(j::numeric)
                      AND abs(j::numeric) < 9e18 THEN j::numeric::bigint END
              END $$;

INSERT INTO invocations AS i (
    invocation_id, seq, started_at, ended_at, session_id, workflow_id,
    parent_invocation_id, agent_name, agent_type, task_description,
    task_type, status, error_message, duration_seconds, duration_micro,
    input_tokens, output_tokens, total_tokens, cost_usd, success,
    quality_rating, would_use_again, tools_used, state_features, outcome,
    metadata, success_metric, record)
SELECT s.r ->> 'invocation_id',
       base.seq + s.line,
       (s.r ->> 'timestamp')::timestamptz,
       CASE WHEN oak_typed(s.r -> 'duration_seconds', 'number')::numeric
                 BETWEEN 0 AND 1e9
            THEN (s.r ->> 'timestamp')::timestamptz + make_interval(
                     secs => (s.r -> 'duration_seconds')::float8) END,
       pg_temp.txt(s.r -> 'session_id'),
       pg_temp.txt(s.r -> 'metadata' -> 'workflow_id'),
       pg_temp.txt(s.r -> 'parent_invocation_id'),
       s.r ->> 'agent_name',
       pg_temp.txt(s.r -> 'agent_type'),
       pg_temp.txt(s.r -> 'task_description'),
       pg_temp.txt(s.r -> 'state_features' -> 'task' -> 'type'),
       pg_temp.txt(s.r -> 'outcome' -> 'status'),
       pg_temp.txt(s.r -> 'outcome' -> 'error_message'),
       oak_typed(s.r -> 'duration_seconds', 'number')::float8,
       oak_micro(oak_typed(s.r -> 'duration_seconds', 'number')::numeric),
       pg_temp.whole(s.r -> 'metadata' -> 'usage' -> 'input_tokens'),
       pg_temp.whole(s.r -> 'metadata' -> 'usage' -> 'output_tokens'),
       pg_temp.whole(coalesce(s.r -> 'metadata' -> 'total_tokens',
                              s.r -> 'metadata' -> 'totalTokens')),
       oak_typed(coalesce(s.r -> 'metadata' -> 'cost_usd',
                          s.r -> 'metadata' -> 'total_cost_usd'),
                 'number')::float8,
       oak_typed(s.r -> 'success_metric' -> 'success', 'boolean')::boolean,
       pg_temp.whole(s.r -> 'success_metric' -> 'quality_rating'),
       oak_typed(s.r -> 'success_metric' -> 'would_use_again',
                 'boolean')::boolean,
       s.r -> 'tools_used',
       s.r -> 'state_features',
       s.r -> 'outcome',
       s.r -> 'metadata',
       s.r -> 'success_metric',
       s.r
FROM oak_stage_invocations s,
     (SELECT coalesce(max(seq), 0) AS seq FROM invocations) base
ORDER BY s.line
ON CONFLICT (invocation_id) DO UPDATE SET
    started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
    session_id = EXCLUDED.session_id, workflow_id = EXCLUDED.workflow_id,
    parent_invocation_id = EXCLUDED.parent_invocation_id,
    agent_name = EXCLUDED.agent_name, agent_type = EXCLUDED.agent_type,
    task_description = EXCLUDED.task_description,
    task_type = EXCLUDED.task_type, status = EXCLUDED.status,
    error_message = EXCLUDED.error_message,
    duration_seconds = EXCLUDED.duration_seconds,
    duration_micro = EXCLUDED.duration_micro,
    input_tokens = EXCLUDED.input_tokens,
    output_tokens = EXCLUDED.output_tokens,
    total_tokens = EXCLUDED.total_tokens, cost_usd = EXCLUDED.cost_usd,
    success = EXCLUDED.success, quality_rating = EXCLUDED.quality_rating,
    would_use_again = EXCLUDED.would_use_again,
    tools_used = EXCLUDED.tools_used,
    state_features = EXCLUDED.state_features, outcome = EXCLUDED.outcome,
    metadata = EXCLUDED.metadata, success_metric = EXCLUDED.success_metric,
    record = EXCLUDED.record, loaded_at = now()
WHERE i.record IS DISTINCT FROM EXCLUDED.record;

INSERT INTO invocation_updates (digest, invocation_id, recorded_at, record)
SELECT md5(s.r::text), s.r ->> 'invocation_id',
       (s.r ->> 'timestamp')::timestamptz, s.r
FROM oak_stage_updates s
ORDER BY s.line
ON CONFLICT (digest) DO NOTHING;

INSERT INTO success_metrics (digest, invocation_id, recorded_at, success,
    quality_rating, feedback_source, feedback_notes, would_use_again,
    alternative_agent_suggested, record)
SELECT md5(s.r::text), s.r ->> 'invocation_id',
       (s.r ->> 'timestamp')::timestamptz,
       oak_typed(s.r -> 'success', 'boolean')::boolean,
       pg_temp.whole(s.r -> 'quality_rating'),
       pg_temp.txt(s.r -> 'feedback_source'),
       pg_temp.txt(s.r -> 'feedback_notes'),
       oak_typed(s.r -> 'would_use_again', 'boolean')::boolean,
       pg_temp.txt(s.r -> 'alternative_agent_suggested'),
       s.r
FROM oak_stage_metrics s
ORDER BY s.line
ON CONFLICT (digest) DO NOTHING;
