#!/usr/bin/env node
// Verifies an audit export package: `madoguchi-verify-audit DIR [--trusted-key PUBLIC_KEY.pem]`.
// Plain Node (no Electron): the verifier is TypeScript run through tsx, a dependency of this package.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/verify-audit.ts');
