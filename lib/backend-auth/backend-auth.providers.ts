import type { Provider } from '@nestjs/common';

/** Providers of the backend-authentication capability, added to `ApiKitModule`. */
export const backendAuthProviders: Provider[] = [];

/** What `ApiKitModule` exports of them (the injectable session). */
export const backendAuthExports: Provider[] = [];
