"""Runs a command on a pseudo-terminal, types Ctrl-C (the tty sends SIGINT) once `trigger` has been
printed, and reports the exit code and everything printed, as JSON on stdout.
Usage: pty-interrupt.py TRIGGER PRESSES TIMEOUT_S CMD ARG..."""
import base64, json, os, pty, select, sys, time

trigger, presses, timeout_s, cmd = sys.argv[1].encode(), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out, sent, start = b'', 0, time.time()
while True:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        out += data
    if sent < presses and trigger in out:
        os.write(fd, b'\x03')
        sent += 1
        time.sleep(0.05)
    if time.time() - start > timeout_s:
        os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({'exit': os.waitstatus_to_exitcode(status), 'presses': sent, 'output': base64.b64encode(out).decode()}))
