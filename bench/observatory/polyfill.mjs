if (!Set.prototype.union) Set.prototype.union = function (o) { return new Set([...this, ...o]); };
