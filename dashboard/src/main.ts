import './theme.css';
import './elements/mc-app.ts';
