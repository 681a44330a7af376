// The smallest function: answers every request with a greeting (text/plain).
const containerless = require('containerless');

containerless.listen(function (req) {
  containerless.respond('Hello, world!');
});
