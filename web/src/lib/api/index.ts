import { ApiClient } from './client';

export { ApiClient, ApiError } from './client';
export type * from './types';

/** The app's single client; its session is the app's session. */
export const api = new ApiClient();
