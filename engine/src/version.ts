/** The engine version, part of every run_hash: a change of engine version invalidates cached runs. */
export const ENGINE_VERSION = '0.1.0';
