//! Declares a `#[wasm_bindgen_test]` wrapper per shared test body, so the suites list
//! names instead of repeating bodies.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $name() {
                common::$name().await;
            }
        )*
    };
}
