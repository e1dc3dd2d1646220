export { RunStopped, UserError, isUserError } from './user-error.ts';
export { FileError, USER_FS_CODES, fileError, writeFileNamed } from './fs-error.ts';
