export { LinkError, openError, type LinkErrorTags } from './errors.ts';
export { LineLimiter } from './line-limiter.ts';
export { SerialLink, type LinkStatus, type ReadyFrame, type SerialLinkOptions } from './serial-link.ts';
export { serialLines, type SerialLineEvent, type SerialLinesOptions } from './serial-lines.ts';
