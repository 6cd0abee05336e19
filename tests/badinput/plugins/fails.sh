#!/bin/sh
# An exec credential plugin that fails.
echo "plugin: cannot reach the identity provider" >&2
exit 3
