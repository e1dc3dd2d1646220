// pic-bridge: runs PIC16F877 firmware (.cod or .hex) in gpsim's simulation library and connects the
// PIC's USART to a serial device (the board end of a socat pseudo-terminal), byte for byte at the
// baud rate the firmware programmed (SPBRG/BRGH, counted in instruction cycles: 1 byte = 10 bits).
// A C++ program against libgpsim because gpsim's command-line usart module could not inject bytes.
//
// stdin (control, one command a line):  adc <channel> <volts>   voltage on ANx for the ADC
//                                        pins                    print the port state now
//                                        go                      with --rig-step-cycles: continue after
//                                                                 a 'rig' or 'step' event
//                                        quit
// stdout (events, one a line):          ready <clock_Hz>         firmware loaded, running
//                                        pins <cycle> <A> <B> <C> <D> <E>   whenever a port changes (hex)
//                                        stats <cycle> <rxBytes> <txBytes> <wall_s> <busy_s> <skipped>   on quit
//                                                                 (busy_s: wall time spent simulating;
//                                                                 skipped: idle cycles jumped over)
//                                        lat <cycles>             with --latency: from a request's '\n' in
//                                                                 RCREG to the answer's first TXREG write
//                                        rig hello                with --rig-step-cycles: a host HELLO reached
//                                                                 RCREG; the board waits for 'go'
//                                        step <cycle> <A> <B> <C> <D> <E>   a plant step is due (every N
//                                                                 cycles from the first X after HELLO, half a
//                                                                 step late); the board waits for 'go'
//
// Fast mode skips board time the firmware spends idle: while the PC is at a label named idle_main or
// idle_wait (from the .cod's symbols) and no enabled interrupt is pending, the cycle counter jumps to
// the next cycle break (a timer match, the USART's bit clock, a conversion), the next received byte or
// the next plant step. At those labels the firmware only loops until an interrupt, so nothing it
// computes changes; board time (timers, baud, the rig) stays exact.
#include <gpsim/cod.h>
#include <gpsim/gpsim_time.h>
#include <gpsim/interface.h>
#include <gpsim/p16f87x.h>
#include <gpsim/pic-instructions.h>
#include <gpsim/pic-processor.h>
#include <gpsim/sim_context.h>
#include <gpsim/stimuli.h>
#include <gpsim/uart.h>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

std::vector<unsigned char> g_tx;  // bytes the firmware wrote to TXREG, not yet passed on
guint64 g_firstTxCycle = 0;       // cycle of the first TXREG write since the last request line ended (0: none yet)

// TXREG that also records every byte the firmware writes; gpsim then shifts it out as before.
class CapturingTxreg : public _TXREG {
 public:
  CapturingTxreg(Processor *cpu, USART_MODULE *usart) : _TXREG(cpu, "txreg", "USART transmit register", usart) {}
  void put(unsigned int v) override {
    if (g_firstTxCycle == 0) g_firstTxCycle = get_cycles().get();
    g_tx.push_back(static_cast<unsigned char>(v & 0xff));
    _TXREG::put(v);
  }
};

double wallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// DIP-40 pin numbers of AN0..AN7 on the PIC16F877.
const unsigned kAnalogPins[8] = {2, 3, 4, 5, 7, 8, 9, 10};
const unsigned kPortAddr[5] = {0x05, 0x06, 0x07, 0x08, 0x09};

struct Options {
  std::string firmware;
  std::string serial;
  bool fast = false;
  double clockHz = 20e6;
  int hostSilenceMs = 1000;
  bool latency = false;
  guint64 rigStepCycles = 0;  // 0: no rig
};

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "pic-bridge: %s\n", msg.c_str());
  std::exit(2);
}

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--firmware") o.firmware = value();
    else if (a == "--serial") o.serial = value();
    else if (a == "--fast") o.fast = true;
    else if (a == "--latency") o.latency = true;
    else if (a == "--clock") o.clockHz = std::atof(value().c_str());
    else if (a == "--host-silence-ms") o.hostSilenceMs = std::atoi(value().c_str());
    else if (a == "--rig-step-cycles") o.rigStepCycles = std::strtoull(value().c_str(), nullptr, 10);
    else die("unknown argument " + a + " (usage: pic-bridge --firmware X.cod|X.hex --serial PTY [--fast] [--clock Hz] [--host-silence-ms N] [--rig-step-cycles N])");
  }
  if (o.firmware.empty() || o.serial.empty()) die("--firmware and --serial are required");
  return o;
}

}  // namespace

int main(int argc, char **argv) {
  Options opt = parseArgs(argc, argv);
  int fd = open(opt.serial.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) die("cannot open " + opt.serial + ": " + std::strerror(errno));
  termios tio{};
  if (tcgetattr(fd, &tio) == 0) {
    cfmakeraw(&tio);
    tcsetattr(fd, TCSANOW, &tio);
  }

  initialize_gpsim_core();
  initialization_is_complete();
  Processor *proc = nullptr;
  if (!CSimulationContext::GetContext()->LoadProgram(opt.firmware.c_str(), "p16f877", &proc) || !proc) {
    die("gpsim could not load " + opt.firmware + " for the p16f877");
  }
  auto *pic = dynamic_cast<P16F877 *>(proc);
  if (!pic) die(opt.firmware + " is not PIC16F877 firmware");
  pic->set_frequency(opt.clockHz);
  USART_MODULE &usart = pic->usart;
  // Swap in the capturing TXREG everywhere the original is referenced.
  auto *tx = new CapturingTxreg(pic, &usart);
  tx->assign_txsta(&usart.txsta);
  tx->assign_rcsta(&usart.rcsta);
  unsigned txAddr = usart.txreg->getAddress();
  pic->registers[txAddr] = tx;
  usart.txreg = tx;
  usart.txsta.txreg = tx;
  usart.rcsta.txreg = tx;

  Cycle_Counter &cycles = get_cycles();
  const double cyclesPerSecond = opt.clockHz / 4;  // one instruction cycle = 4 oscillator clocks
  std::vector<unsigned> idlePcs;  // program addresses of the firmware's idle loops (.cod symbols)
  for (const char *label : {"idle_main", "idle_wait"}) {
    if (auto *ins = dynamic_cast<instruction *>(pic->findSymbol(label))) idlePcs.push_back(ins->getAddress());
  }
  auto atIdle = [&]() -> bool {
    unsigned pc = pic->pc->value;
    for (unsigned a : idlePcs)
      if (a == pc) return true;
    return false;
  };
  auto interruptPending = [&]() -> bool {
    unsigned intcon = pic->registers[0x0B]->get_value();
    unsigned pir = pic->registers[0x0C]->get_value() & pic->registers[0x8C]->get_value();
    unsigned pir2 = pic->registers[0x0D]->get_value() & pic->registers[0x8D]->get_value();
    return pir || pir2 || (intcon & (intcon >> 3) & 0x07);
  };
  std::printf("ready %.0f\n", opt.clockHz);
  std::fflush(stdout);

  unsigned char buf[4096];
  std::deque<unsigned char> rx;  // host bytes waiting to reach the receiver
  guint64 nextRx = 0;
  unsigned long rxBytes = 0, txBytes = 0;
  unsigned portState[5] = {~0u, ~0u, ~0u, ~0u, ~0u};
  std::string ctl, boardLine;
  // Lines the host sent (counted as they reach the receiver) and lines the board answered (all but FAULT).
  unsigned long hostLines = 0, boardAnswers = 0;
  bool lastTxNewline = false, watchdogArmed = false, silent = false;
  const double wall0 = wallNow();
  double realStartWall = wall0;
  guint64 realStartCycle = 0;
  double lastHostWall = wall0;

  auto byteCycles = [&]() -> guint64 {
    unsigned brg = usart.spbrg.get_value();
    bool brgh = usart.txsta.get_value() & _TXSTA::BRGH;
    return 10ull * (brgh ? 4 : 16) * (brg + 1);
  };
  auto reportPins = [&](bool force) {
    bool changed = force;
    unsigned v[5];
    for (int i = 0; i < 5; i++) {
      v[i] = pic->registers[kPortAddr[i]]->get_value() & (i == 2 ? 0x3f : 0xff);  // RC6/RC7 are the USART's
      if (v[i] != portState[i]) changed = true;
      portState[i] = v[i];
    }
    if (changed) std::printf("pins %llu %02x %02x %02x %02x %02x\n", (unsigned long long)cycles.get(), v[0], v[1], v[2], v[3], v[4]);
  };
  auto watchBoardByte = [&](unsigned char b) {
    if (b == '\r') return;
    if (b != '\n') {
      if (boardLine.size() < 16) boardLine += static_cast<char>(b);
      return;
    }
    if (boardLine.rfind("FAULT ", 0) != 0) boardAnswers++;
    if (boardLine.rfind("READY ", 0) == 0 || boardLine.rfind("FAULT ", 0) == 0) watchdogArmed = false;
    else if (boardLine.rfind("WD ", 0) == 0) watchdogArmed = std::atoi(boardLine.c_str() + 3) > 0;
    boardLine.clear();
  };
  auto handleCommand = [&](const std::string &line) -> bool {
    unsigned ch;
    double volts;
    if (std::sscanf(line.c_str(), "adc %u %lf", &ch, &volts) == 2 && ch < 8) {
      IOPIN *p = pic->get_pin(kAnalogPins[ch]);
      if (p) p->set_nodeVoltage(volts);
    } else if (line == "pins") {
      reportPins(true);
    } else if (line == "quit") {
      return false;
    } else if (line == "go") {
      // a late answer to an event already settled: nothing to do
    } else {
      std::fprintf(stderr, "pic-bridge: unknown command '%s'\n", line.c_str());
    }
    return true;
  };

  bool running = true;
  // The rig's events stop the board until the rig answers 'go' (its commands are handled meanwhile).
  auto waitGo = [&]() {
    std::fflush(stdout);
    while (running) {
      ssize_t n = read(0, buf, 1);
      if (n <= 0) {
        running = false;
        return;
      }
      if (buf[0] != '\n') {
        ctl += static_cast<char>(buf[0]);
        continue;
      }
      std::string line = ctl;
      ctl.clear();
      if (line == "go") return;
      running = handleCommand(line);
    }
  };
  guint64 skipped = 0;  // board cycles jumped over in idle loops
  bool rigHeld = true;  // the plant waits for the host's first X after HELLO
  guint64 nextStep = 0;
  std::string hostLine;  // the start of the line the host is sending, as it reaches RCREG
  auto watchHostByte = [&](unsigned char b) {
    if (b != '\n') {
      if (hostLine.size() < 8) hostLine += static_cast<char>(b);
      return;
    }
    if (opt.rigStepCycles > 0) {
      if (hostLine.rfind("HELLO", 0) == 0) {
        rigHeld = true;
        std::printf("rig hello\n");
        waitGo();
      } else if (hostLine.rfind("X ", 0) == 0 && rigHeld) {
        rigHeld = false;
        // Half a step late: the board samples on its 1 ms grid, up to a millisecond before a whole
        // step after this X, and must see the plant after the step, not on the edge.
        nextStep = cycles.get() + opt.rigStepCycles / 2;
      }
    }
    hostLine.clear();
  };
  // Fast mode with idle labels: longer slices (board time jumps over the idle loops, so a slice is cheap).
  const bool skipIdle = opt.fast && !idlePcs.empty();
  const guint64 sliceCycles = static_cast<guint64>(cyclesPerSecond / 10000);   // 0.1 ms of board time
  const guint64 skipSliceCycles = static_cast<guint64>(cyclesPerSecond / 100);  // 10 ms
  const guint64 bootCycles = static_cast<guint64>(cyclesPerSecond / 20);     // 50 ms
  bool hostSeen = false;
  guint64 lineEndCycle = 0;
  double busy = 0;
  bool awaitingAnswer = false;
  while (running) {
    // Fast mode: the board waits for the host once it has answered (line end sent, nothing to read)
    // or booted, and board time stands still meanwhile, unless the host stays silent past the grace
    // with the watchdog armed: then board time follows the wall clock until the host is back.
    // A line end alone is not enough: the host's next line may already sit in the firmware's buffer
    // (it resent HELLO while READY was on its way), and the protocol answers every line but FAULT.
    bool idle = opt.fast && !silent && rx.empty() && (hostSeen ? lastTxNewline && boardAnswers >= hostLines : cycles.get() >= bootCycles);
    int timeout = 0;
    if (idle) {
      if (watchdogArmed && opt.hostSilenceMs > 0) {
        double left = lastHostWall + opt.hostSilenceMs / 1000.0 - wallNow();
        if (left <= 0) {
          silent = true;
          realStartWall = wallNow();
          realStartCycle = cycles.get();
          idle = false;
        } else timeout = static_cast<int>(left * 1000) + 1;
      } else timeout = -1;
    }
    bool realtime = !opt.fast || silent;
    guint64 target = cycles.get() + (skipIdle && !realtime ? skipSliceCycles : sliceCycles);
    if (realtime && !idle) {
      guint64 due = realStartCycle + static_cast<guint64>((wallNow() - realStartWall) * cyclesPerSecond);
      if (due + 2 * sliceCycles < cycles.get() + sliceCycles) {
        timeout = 1;  // ahead of the wall clock
        target = cycles.get();
      } else if (due > cycles.get() + cyclesPerSecond / 500) {
        // More than 2 ms behind: slip rather than race (the host would see every answer late).
        realStartWall += (due - cycles.get() - cyclesPerSecond / 500) / cyclesPerSecond;
      }
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
    if (poll(fds, 2, idle || target == cycles.get() ? timeout : 0) < 0 && errno != EINTR) die(std::strerror(errno));
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) {
        for (ssize_t i = 0; i < n; i++) rx.push_back(buf[i]);
        hostSeen = true;
        lastHostWall = wallNow();
        if (silent) silent = false;
        if (rx.size() == static_cast<size_t>(n) && nextRx < cycles.get()) nextRx = cycles.get() + byteCycles();
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        break;  // the pseudo-terminal went away
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n <= 0) break;
      for (ssize_t i = 0; i < n && running; i++) {
        if (buf[i] != '\n') ctl += static_cast<char>(buf[i]);
        else {
          running = handleCommand(ctl);
          ctl.clear();
        }
      }
    }
    if (idle || target <= cycles.get()) {
      std::fflush(stdout);
      continue;
    }
    const double busyFrom = wallNow();
    while (cycles.get() < target && running) {
      // Fast mode: an answered line, nothing more to receive and the firmware back in its idle loop
      // (its receive ring empty) end the slice, so board time stops at the answer (the next
      // iteration finds the board idle) rather than at the slice's end.
      if (skipIdle && !silent && rx.empty() && !g_tx.empty() && g_tx.back() == '\n' && atIdle()) break;
      bool receiverOn = (usart.rcsta.get_value() & (_RCSTA::SPEN | _RCSTA::CREN)) == (_RCSTA::SPEN | _RCSTA::CREN);
      if (!rx.empty() && receiverOn && cycles.get() >= nextRx) {
        if (rx.front() == '\n') {
          hostLines++;
          lineEndCycle = cycles.get();
          g_firstTxCycle = 0;
          awaitingAnswer = true;
        }
        unsigned char b = rx.front();
        usart.rcreg->push(b);
        rx.pop_front();
        rxBytes++;
        lastTxNewline = false;  // the board owes an answer to what it is now reading
        nextRx = cycles.get() + byteCycles();
        watchHostByte(b);
      }
      if (opt.rigStepCycles > 0 && !rigHeld && cycles.get() >= nextStep) {
        reportPins(false);
        std::printf("step %llu %02x %02x %02x %02x %02x\n", (unsigned long long)cycles.get(), portState[0], portState[1], portState[2], portState[3], portState[4]);
        waitGo();
        nextStep += opt.rigStepCycles;
        continue;
      }
      guint64 until = target;
      if (!rx.empty() && receiverOn && nextRx < until) until = nextRx;
      if (opt.rigStepCycles > 0 && !rigHeld && nextStep < until) until = nextStep;
      if (skipIdle && !silent) {
        // One instruction at a time, so the PC can be checked (gpsim's step(1) costs what step(n) does).
        if (atIdle() && !interruptPending()) {
          // The baud-rate generator ticks every bit time even with nothing to send or receive; with
          // both directions idle it is stopped over the skip and restarted after it (its phase is
          // then new, which no idle line can tell).
          TriggerObject *baud = &usart.spbrg;
          bool usartIdle = (usart.txsta.get_value() & _TXSTA::TRMT) && usart.rcsta.rc_is_idle();
          guint64 next = Cycle_Counter::END_OF_TIME, baudBreak = 0;
          for (auto *b = cycles.active.next; b; b = b->next) {
            if (usartIdle && b->f == baud) baudBreak = b->break_value;
            else if (b->break_value < next) next = b->break_value;
          }
          guint64 to = std::min(next, until);
          if (to > cycles.get() + 2) {
            skipped += to - cycles.get();
            if (baudBreak && baudBreak < to) cycles.reassign_break(baudBreak, to, baud);
            cycles.preset(to);
          }
        }
        pic->step(1, false);
        continue;
      }
      unsigned steps = static_cast<unsigned>(until > cycles.get() ? until - cycles.get() : 1);
      pic->step(steps, false);
    }
    busy += wallNow() - busyFrom;
    if (!g_tx.empty()) {
      if (awaitingAnswer && g_firstTxCycle != 0) {
        awaitingAnswer = false;
        if (opt.latency) std::printf("lat %llu\n", (unsigned long long)(g_firstTxCycle - lineEndCycle));
      }
      for (unsigned char b : g_tx) watchBoardByte(b);
      lastTxNewline = g_tx.back() == '\n';
      txBytes += g_tx.size();
      size_t off = 0;
      while (off < g_tx.size()) {
        ssize_t w = write(fd, g_tx.data() + off, g_tx.size() - off);
        if (w > 0) off += static_cast<size_t>(w);
        else if (errno == EAGAIN) usleep(100);
        else break;
      }
      g_tx.clear();
    }
    reportPins(false);
    std::fflush(stdout);
  }
  std::printf("stats %llu %lu %lu %.3f %.3f %llu\n", (unsigned long long)cycles.get(), rxBytes, txBytes, wallNow() - wall0, busy, (unsigned long long)skipped);
  std::fflush(stdout);
  return 0;
}
