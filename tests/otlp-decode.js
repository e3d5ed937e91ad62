// tests/otlp-decode.js ROOT < OTLP-JSON-LINES
//
// Decodes oak-export-otlp's output with OpenTelemetry's own code: the
// protobuf classes generated from opentelemetry-proto that the
// OpenTelemetry JavaScript SDK ships (@opentelemetry/otlp-transformer,
// build/src/generated/root.js, under ROOT/node_modules). Each line, a
// TracesData or LogsData in OTLP/JSON, is turned into protobuf.js's
// object form (OTLP/JSON's hex ids to bytes), verified, encoded to the
// binary protobuf, decoded back and compared with the line: a field the
// proto does not have, a wrong type or a 64-bit integer written as a
// number shows as a difference. Then each span and log record is printed
// as one JSON array, for the test to compare with what it expects.
'use strict';
const path = require('path');
const readline = require('readline');

const root = require(path.join(process.argv[2], 'node_modules',
	'@opentelemetry/otlp-transformer/build/src/generated/root'));
const proto = root.opentelemetry.proto;
const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

function fail(n, why) {
	process.stderr.write(`otlp-decode: line ${n}: ${why}\n`);
	process.exit(1);
}

// Copies v, each id through idFn, without empty arrays.
function mapIds(v, idFn) {
	if (Array.isArray(v)) return v.map((x) => mapIds(x, idFn));
	if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
	const out = {};
	for (const [k, x] of Object.entries(v)) {
		if (Array.isArray(x) && x.length === 0) continue;
		out[k] = ID_KEYS.has(k) ? idFn(x, k) : mapIds(x, idFn);
	}
	return out;
}

function longsAsNumbers(v, key) {
	if (Array.isArray(v)) return v.map((x) => longsAsNumbers(x, ''));
	if (typeof v === 'string' && /UnixNano$|^intValue$/.test(key) &&
	    /^-?[0-9]+$/.test(v))
		return Number(v);
	if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
	const out = {};
	for (const [k, x] of Object.entries(v)) out[k] = longsAsNumbers(x, k);
	return out;
}

function same(a, b, where) {
	if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b))
		return `${where}: ${JSON.stringify(a)} is not ${JSON.stringify(b)}`;
	if (a === null || typeof a !== 'object')
		return a === b ? null : `${where}: ${JSON.stringify(a)} is not ${JSON.stringify(b)}`;
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const k of keys) {
		if (!(k in a)) return `${where}.${k}: added by the round trip`;
		if (!(k in b)) return `${where}.${k}: lost (not in the proto?)`;
		const why = same(a[k], b[k], `${where}.${k}`);
		if (why) return why;
	}
	return null;
}

function value(v) {
	const [type] = Object.keys(v);
	if (type === 'arrayValue')
		return [type, (v.arrayValue.values || []).map((x) => value(x)[1])];
	return [type, String(v[type])];
}

function attrs(list) {
	return (list || []).map((a) => [a.key, ...value(a.value)])
		.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

let n = 0;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
	n++;
	const json = JSON.parse(line);
	const type = json.resourceSpans ? proto.trace.v1.TracesData
		: json.resourceLogs ? proto.logs.v1.LogsData : null;
	if (!type) fail(n, 'neither TracesData nor LogsData');
	const obj = mapIds(json, (hex, k) => {
		const want = k === 'traceId' ? 32 : 16;
		if (!/^[0-9a-f]*$/.test(hex) || hex.length !== want)
			fail(n, `${k} ${hex}: not ${want} lowercase hex digits`);
		return Buffer.from(hex, 'hex');
	});
	// verify() takes 64-bit integers as numbers; OTLP/JSON writes strings
	const why = type.verify(longsAsNumbers(obj, ''));
	if (why) fail(n, why);
	const wire = type.encode(type.fromObject(obj)).finish();
	const back = type.toObject(type.decode(wire),
		{ longs: String, enums: Number, bytes: String, defaults: false });
	const diff = same(mapIds(json, (id) => id), mapIds(back,
		(b64) => Buffer.from(b64, 'base64').toString('hex')), 'line');
	if (diff) fail(n, diff);
	for (const r of json.resourceSpans || [])
		for (const s of r.scopeSpans)
			for (const sp of s.spans)
				console.log(JSON.stringify(['span', sp.traceId, sp.spanId,
					sp.parentSpanId || '', sp.name, sp.kind,
					sp.startTimeUnixNano, sp.endTimeUnixNano,
					sp.status ? sp.status.code : 0,
					sp.status && sp.status.message || '', attrs(sp.attributes)]));
	for (const r of json.resourceLogs || [])
		for (const s of r.scopeLogs)
			for (const lr of s.logRecords)
				console.log(JSON.stringify(['log', lr.traceId, lr.spanId,
					lr.timeUnixNano, lr.eventName, lr.severityNumber,
					attrs(lr.attributes)]));
});
