import pkg from '../package.json' with { type: 'json' };

/** The tool's own version, recorded in every run record. */
export const TOOL_VERSION: string = pkg.version;
