# arcx service: the browser desktop. Started in the background by
# arcx-entrypoint, as the container's user; restarted by it if it exits.
#
#   DISPLAY       X display (default :1); Xvnc's VNC port is 5900 + its number
#   WIDTH/HEIGHT  screen size (default 1280x800; noVNC resizes it to the window)
#   KASMVNC_PORT  noVNC web page and websocket on 0.0.0.0 (default 6080)
#
# Xvnc has no VNC password and listens on localhost only; the only way in is
# websockify on $KASMVNC_PORT, which the orchestrator guards like the other
# ports. If any of the pieces exits, the rest are stopped and the script exits,
# so the entrypoint restarts the whole desktop.
set -u

display=${DISPLAY:-:1}
number=${display#:}
number=${number%%.*}
width=${WIDTH:-1280}
height=${HEIGHT:-800}
web_port=${KASMVNC_PORT:-6080}
vnc_port=$((5900 + number))

pids=()
stop_all() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap 'stop_all; exit 143' TERM INT

# A stale lock or socket from a previous run of this container (/tmp is a
# tmpfs, so only after a crash of Xvnc itself) would keep Xvnc from starting.
rm -f "/tmp/.X$number-lock" "/tmp/.X11-unix/X$number"
mkdir -p /tmp/.X11-unix 2>/dev/null
Xvnc "$display" -geometry "${width}x${height}" -depth 24 \
  -rfbport "$vnc_port" -localhost -SecurityTypes None -AlwaysShared \
  -nolisten tcp -desktop arcx &
pids+=($!)

for _ in $(seq 1 50); do
  [[ -S /tmp/.X11-unix/X$number ]] && break
  sleep 0.2
done

export DISPLAY=$display
openbox &
pids+=($!)
tint2 &
pids+=($!)

websockify --web /usr/local/share/arcx-novnc "0.0.0.0:$web_port" "localhost:$vnc_port" &
pids+=($!)

wait -n
status=$?
echo "a desktop process exited with status $status; stopping the desktop" >&2
stop_all
exit 1
