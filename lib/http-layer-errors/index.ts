// The HTTP layer's own error answers (node's parser, Fastify's router) in apikit's body, under `errorBody: 'apikit'`.
export { installHttpLayerErrorBodies } from './http-layer-error-bodies.js';
