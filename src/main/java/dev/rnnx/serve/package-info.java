/**
 * The model server: {@code rnnx serve} on Netty's HTTP codec, speaking the Open Inference Protocol
 * (KServe v2 REST) over the {@link dev.rnnx.djl.RnnxModel}s it serves, with a bounded request
 * queue, deadlines, a body size limit, graceful shutdown, Prometheus metrics and a JSON access log
 * (docs/SERVING.md).
 */
package dev.rnnx.serve;
