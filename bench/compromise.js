// The reference point of bench/run.sh: compromise (npm), a popular
// JavaScript NLP library, finds the people, places and organizations of
// every article of a corpus, as `newskg extract -f none` does.
// Usage: node compromise.js INPUT   (a folder of *.txt, read recursively,
// or a JSON Lines file with "id" and "text")
// Prints one line: articles, bytes, people, places, organizations, seconds
// (reading excluded).
'use strict';
const fs = require('fs');
const path = require('path');
const nlp = require('compromise');

function texts(input) {
  if (fs.statSync(input).isDirectory()) {
    const out = [];
    const walk = (dir) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.txt')) out.push(fs.readFileSync(p, 'utf8'));
      }
    };
    walk(input);
    return out;
  }
  return fs.readFileSync(input, 'utf8').split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line).text);
}

const all = texts(process.argv[2]);
let bytes = 0, people = 0, places = 0, orgs = 0;
const start = process.hrtime.bigint();
for (const text of all) {
  bytes += Buffer.byteLength(text);
  const doc = nlp(text);
  people += doc.people().length;
  places += doc.places().length;
  orgs += doc.organizations().length;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`articles=${all.length} bytes=${bytes} people=${people} ` +
            `places=${places} organizations=${orgs} seconds=${seconds.toFixed(3)}`);
