#!/bin/sh
# An exec credential plugin that prints something that is not an ExecCredential.
printf '\377\376 not json at all {'
