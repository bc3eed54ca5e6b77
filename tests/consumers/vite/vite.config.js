// The README's dev-server proxy recipe, as tested: /tvmaze/* is forwarded to TVmaze (here
// to the stand-in the harness names), so the page calls the API on its own origin and
// needs no CORS answer. `vite preview` uses the same proxy. Nothing else is configured:
// the package itself needs no Vite configuration.
export default {
  server: {
    proxy: {
      "/tvmaze": {
        target: process.env.TVMAZE_API_ORIGIN ?? "https://api.tvmaze.com",
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\/tvmaze/, ""),
      },
    },
  },
  build: { rollupOptions: { input: ["index.html", "worker.html"] } },
};
