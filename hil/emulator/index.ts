export { AvrBoard, EMULATED_BOARDS } from './avr-board.ts';
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator.ts';
export { loadIntelHex } from './intel-hex.ts';
export { startPtyPair, type PtyPair } from './pty-pair.ts';
export { PlantRig } from './rig.ts';
export { UsartBridge } from './usart-bridge.ts';
