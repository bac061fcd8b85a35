#!/bin/sh
# A shared step, as the real lib/ scripts are: the js and fullstack test flavors run it.
echo "stamp-$1" >> /etc/arcx-layers
