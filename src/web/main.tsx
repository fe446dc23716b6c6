import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>Rapport</h1>
      <p>The web app is being built.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
