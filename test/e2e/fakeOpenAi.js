'use strict';
/**
 * A small OpenAI-compatible chat model on 127.0.0.1 for the AI agent tests: POST /v1/chat/completions.
 * It plays a model that uses one tool: while the conversation has no tool result, it answers with a call
 * of the first tool offered, with the arguments `decide(request)` gives; once a tool result is there, it
 * answers with the text `answer(toolResult, request)` gives. Streaming (`stream: true`) answers as server-sent
 * chunks, as OpenAI does. Every request body is kept in `requests`.
 */

const http = require('node:http');

async function startFakeOpenAi({ decide, answer }) {
	const requests = [];
	let calls = 0;

	function respond(res, request) {
		const toolResult = [...request.messages].reverse().find((m) => m.role === 'tool');
		let message;
		if (toolResult) {
			message = { role: 'assistant', content: answer(toolResult.content, request) };
		} else {
			const tool = request.tools?.[0]?.function;
			if (!tool) throw new Error('the fake model was offered no tool');
			message = { role: 'assistant', content: null, tool_calls: [{ id: `call_${++calls}`, type: 'function', function: { name: tool.name, arguments: JSON.stringify(decide(request)) } }] };
		}
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: request.model };
		const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };
		if (!request.stream) {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage }));
			return;
		}
		res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
		const chunk = (choices, extra = {}) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
		const delta = message.tool_calls
			? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
			: { role: 'assistant', content: message.content };
		chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]);
		chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]);
		if (request.stream_options?.include_usage) chunk([], { usage });
		res.end('data: [DONE]\n\n');
	}

	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
				return;
			}
			try {
				const request = JSON.parse(body);
				requests.push({ headers: req.headers, body: request });
				respond(res, request);
			} catch (error) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `fake model: ${error.message}`, type: 'server_error' } }));
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { startFakeOpenAi };
