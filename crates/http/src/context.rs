//! Per-request facts that code far from the handler needs (the request id and path for error
//! bodies), carried in a task-local set by the request middleware.

tokio::task_local! {
    static CURRENT: RequestContext;
}

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub request_id: String,
    pub path: String,
}

/// Runs `future` with `context` as the current request.
pub async fn scope<F: std::future::Future>(context: RequestContext, future: F) -> F::Output {
    CURRENT.scope(context, future).await
}

/// The current request's id and path, if called while serving a request.
pub fn current() -> Option<RequestContext> {
    CURRENT.try_with(Clone::clone).ok()
}
