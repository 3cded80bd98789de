package dev.rnnx.serve;

/**
 * A request the server refuses, with the HTTP status to answer and the one-line message a client
 * reads in the KServe error body {@code {"error": "..."}}.
 */
final class ApiException extends RuntimeException {

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** 400: the request does not fit the protocol or the model. */
  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** 404: no such model, version or path. */
  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  /** The HTTP status. */
  int status() {
    return status;
  }
}
