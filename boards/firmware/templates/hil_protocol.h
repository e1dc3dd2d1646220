// hilbench serial protocol v1, board side (docs/protocol.md). Copied verbatim by
// `hilbench firmware generate`; the generated hil_config.h says what this firmware is.
#ifndef HIL_PROTOCOL_H
#define HIL_PROTOCOL_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Implemented by the generated controller.cpp (hil role) or io_firmware.cpp (io role).
// One control step: sensor counts and references (micro-units) in, actuator counts out.
void controller_reset(void);
void controller_step(const int32_t *sensors, const int32_t *refs, int32_t *actuators);

#ifdef __cplusplus
}
#endif

// Called from the sketch's setup() and loop().
void hil_setup(void);
void hil_poll(void);

#endif
