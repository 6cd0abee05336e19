#!/bin/sh
# An exec credential plugin that never answers (exec: the timeout kills the sleep itself).
exec sleep 600
