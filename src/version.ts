/** The package version, reported in auth events and `/healthz`. */
export const VERSION = '0.1.0';
