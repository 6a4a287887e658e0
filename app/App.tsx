// Placeholder until the studio UI lands (owned by the UI engineer): shows that the app boots.
export function App() {
  return (
    <main>
      <h1>AesLens</h1>
    </main>
  );
}
