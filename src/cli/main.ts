// Placeholder until the CLI lands; keeps `npm ci` (prepare → build) green.
console.log("keyplane: CLI under construction");
