// An Apache OpenWhisk web action, unchanged: `main(params)` gets the query and the JSON body's
// fields merged, with the request's method, headers and path as `__ow_*` parameters.
function main(params) {
  if (params.__ow_method !== 'post') return { statusCode: 405, body: { error: 'POST a JSON object with a "name"' } };
  const name = typeof params.name === 'string' ? params.name.trim() : '';
  if (!name) return { statusCode: 400, body: { error: 'name is missing' } };
  return { body: { greeting: `Hello, ${name}!`, path: params.__ow_path || '/' } };
}
