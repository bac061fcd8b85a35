#!/bin/sh
# Prints the layers the image was built from, then whatever it was asked to run.
cat /etc/arcx-layers
exec "$@"
