export { AvrBoard, EMULATED_BOARDS } from './avr-board.ts';
export { DEFAULT_HOST_SILENCE_MS, startEmulator, type EmulatorOptions, type HostSilenceEvent, type RunningEmulator } from './emulator.ts';
export { loadIntelHex } from './intel-hex.ts';
export { startPtyPair, type PtyPair } from './pty-pair.ts';
export { PlantRig } from './rig.ts';
export { UsartBridge } from './usart-bridge.ts';
