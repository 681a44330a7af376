// An AWS Lambda function, unchanged: API Gateway's HTTP API event (payload 2.0) in, a
// `{ statusCode, headers, body }` result out. `fetch` is the platform's outbound call, so it works
// with network "none"; the backend's URL comes from config.env.BACKEND.
const backend = process.env.BACKEND || 'http://127.0.0.1:7999';

exports.handler = async (event, context) => {
  if (event.rawPath === '/status') {
    const res = await fetch(`${backend}/status`);
    const { services } = await res.json();
    const down = services.filter((s) => !s.up).map((s) => s.name);
    return { statusCode: down.length === 0 ? 200 : 503, body: JSON.stringify({ up: down.length === 0, down }) };
  }
  const name = (event.queryStringParameters && event.queryStringParameters.name) || 'world';
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `Hello, ${name}! (${event.requestContext.http.method} ${event.rawPath} in ${context.functionName})`,
  };
};
