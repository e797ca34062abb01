/** Non-standard but universal attribute: the file input picks a whole folder. */
export const DIRECTORY_PICKER = { webkitdirectory: '' } as object;
