// String processing with char codes: Caesar cipher and run-length encoding, round-tripped.
const containerless = require('containerless');

function shiftChar(code, base, k) {
  return String.fromCharCode(((code - base + k) % 26 + 26) % 26 + base);
}

function caesar(text, k) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) out += shiftChar(code, 65, k);
    else if (code >= 97 && code <= 122) out += shiftChar(code, 97, k);
    else out += text[i];
  }
  return out;
}

function rle(text) {
  const parts = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] === text[i]) j++;
    parts.push((j - i > 1 ? j - i : '') + text[i]);
    i = j;
  }
  return parts.join('');
}

function unrle(code) {
  let out = '';
  let count = '';
  for (const ch of code) {
    if (ch >= '0' && ch <= '9') count += ch;
    else {
      out += ch.repeat(count === '' ? 1 : parseInt(count, 10));
      count = '';
    }
  }
  return out;
}

containerless.listen(function (req) {
  const text = String(req.query.text || '');
  const k = parseInt(req.query.k, 10) || 3;
  const enc = caesar(text, k);
  const packed = rle(text);
  containerless.respond({ enc: enc, dec: caesar(enc, -k), roundTrip: caesar(enc, -k) === text, rle: packed, unrle: /* digits in text make RLE ambiguous */ unrle(packed) === text });
});
